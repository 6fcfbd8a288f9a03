package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.pagefile.Epochs;
import io.lightningdb.pagefile.PageTypes;
import io.lightningdb.store.StoreCursor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Iterates a key range, forward or backward, one leaf at a time: each leaf is read optimistically
 * and its entries in range are copied out, so the cursor holds no latch and no epoch between
 * calls, and a cursor left open blocks nobody.
 *
 * <p>Forward, the next leaf is the right link read with the leaf, followed only if that leaf is
 * unchanged since (same version in the buffer pool): then the link is still live, since a merge
 * that unlinks the next leaf rewrites this one. Otherwise, or if the next leaf turns out to be
 * unlinked, the cursor descends again to the last key it returned. Backward, the cursor descends
 * again to the leaf below the smallest key it returned, tracking the lower bound of each subtree
 * so empty leaves are stepped over. Every descent is the tree's one {@link Descent} (to a key, to
 * the first leaf, to the leaf below a key), and every link followed is range-checked, so a
 * damaged file is a {@code CorruptFileException} naming the page in either direction.
 */
public final class TreeCursor implements StoreCursor {
    private final BTree tree;
    private final byte[] from;
    private final byte[] to;
    private final MemorySegment toSeg;
    private final MemorySegment fromSeg;
    private final boolean reverse;
    /** One spare buffer per thread: a scan that closes its cursor hands the next one its buffer. */
    private static final ThreadLocal<LeafEntries> SPARE = new ThreadLocal<>();
    private LeafEntries entries;
    private int pos = -1;
    /** Forward: the next leaf; backward: unused. 0 when exhausted. */
    private long nextLeaf;
    /** Forward: the leaf last read and its version, which vouch for {@link #nextLeaf}. */
    private long lastLeaf;
    private long lastLeafVersion;
    /** Backward: the exclusive upper bound of what is left; null = +infinity. */
    private byte[] below;
    private boolean exhausted;
    private boolean started;
    /** Leaves reached in scan order since the last descent; from two on, read-ahead may load ahead. */
    private int inOrder;
    private ReadAhead readAhead;

    /**
     * @param from inclusive lower bound, or null
     * @param to exclusive upper bound, or null
     */
    TreeCursor(BTree tree, byte[] from, byte[] to, boolean reverse) {
        this.tree = tree;
        this.from = from;
        this.to = to;
        this.reverse = reverse;
        this.below = to;
        this.toSeg = to == null ? null : MemorySegment.ofArray(to);
        this.fromSeg = from == null ? null : MemorySegment.ofArray(from);
        LeafEntries spare = SPARE.get();
        if (spare != null) {
            SPARE.set(null);
            spare.clear();
            this.entries = spare;
        } else {
            this.entries = new LeafEntries();
        }
    }

    /**
     * Gives the buffer back for the next cursor of this thread; the cursor must not be used
     * afterwards (the public Cursor refuses every call once closed).
     */
    @Override
    public void release() {
        LeafEntries e = entries;
        if (e != null) {
            entries = LeafEntries.EMPTY;
            pos = -1;
            exhausted = true;
            if (SPARE.get() == null) {
                SPARE.set(e);
            }
        }
    }

    /**
     * Moves to the next entry if it is already copied out (no page access, no epoch needed);
     * false when {@link #next} has to read a leaf.
     */
    @Override
    public boolean nextBuffered() {
        if (pos + 1 < entries.size()) {
            pos++;
            return true;
        }
        return false;
    }

    /** Moves to the next entry; false when the range is done. */
    @Override
    public boolean next() throws IOException {
        while (++pos >= entries.size()) {
            if (exhausted) {
                pos = entries.size();
                return false;
            }
            entries.clear();
            pos = -1;
            if (reverse) {
                fetchBackward();
            } else {
                fetchForward();
            }
        }
        return true;
    }

    /** The current key, a copy the caller owns. */
    @Override
    public byte[] key() {
        check();
        return entries.key(pos);
    }

    /** The current value, a copy the caller owns. */
    @Override
    public byte[] value() {
        check();
        return entries.value(pos);
    }

    /** The current key as a view of the cursor's buffer, valid until the next call to {@link #next}. */
    @Override
    public MemorySegment keySegment() {
        check();
        return entries.keySegment(pos);
    }

    /** The current value as a view of the cursor's buffer, valid until the next call to {@link #next}. */
    @Override
    public MemorySegment valueSegment() {
        check();
        return entries.valueSegment(pos);
    }

    private void check() {
        if (pos < 0 || pos >= entries.size()) {
            throw new IllegalStateException("cursor is not on an entry: call next() first and check it returned true");
        }
    }

    private void fetchForward() throws IOException {
        Epochs.Slot slot = tree.epochs.enter();
        try {
            long pid;
            byte[] lower = keysReturnedNone() ? from : lastKey();
            if (!started || !tree.pool.validate(lastLeaf, lastLeafVersion)) {
                started = true;
                pid = leafFor(lower);
                offOrder();
            } else {
                pid = nextLeaf;
                // A scan over cached leaves makes no read-ahead at all: the first miss makes one,
                // which then keeps its prefetch going at every step.
                if (inOrder() && (readAhead != null || !tree.pool.isResident(pid))) {
                    readAhead().forward(pid, lastReturned, toSeg);
                }
            }
            // Entries strictly above the last returned key (or >= from at the start).
            boolean inclusive = keysReturnedNone();
            readLeafForward(pid, lower, inclusive);
        } finally {
            tree.epochs.exit(slot);
        }
    }

    private byte[] lastReturned;

    /** Counts a step in scan order; true once there were two and read-ahead is on ({@code readAheadPages}). */
    private boolean inOrder() {
        return ++inOrder >= 2 && tree.readAheadPages() > 1;
    }

    /** Made at the first step that may read ahead, so a scan over cached leaves allocates none. */
    private ReadAhead readAhead() {
        if (readAhead == null) {
            readAhead = new ReadAhead(tree, tree.readAheadPages());
        }
        return readAhead;
    }

    private void offOrder() {
        inOrder = 0;
        if (readAhead != null) {
            readAhead.reset();
        }
    }

    private byte[] lastKey() {
        return lastReturned;
    }

    private boolean keysReturnedNone() {
        return lastReturned == null;
    }

    /** The leaf covering {@code key}, or the leftmost leaf for null. */
    private long leafFor(byte[] key) throws IOException {
        return key == null ? tree.descent.first() : tree.findNode(MemorySegment.ofArray(key), KeyHeads.head(key), 0);
    }

    /** Copies the entries of leaf {@code pid} above {@code lower} (inclusive or not) and below {@code to}. */
    private void readLeafForward(long pid, byte[] lower, boolean inclusive) throws IOException {
        int unlinked = 0;
        while (true) {
            long w = tree.pool.readLatch(pid);
            MemorySegment p = entries.snapshot(tree.pool.page(pid));
            if (!tree.pool.validate(pid, w)) {
                continue; // torn copy
            }
            // From here p is a consistent copy: anything malformed in it is damage.
            long right;
            boolean pastEnd = false;
            try {
                if (NodeLayout.type(p) != PageTypes.LEAF) {
                    throw new NotALeaf();
                }
                int n = Nodes.clampedCount(p);
                int start = 0;
                if (lower != null) {
                    int r = Nodes.search(tree.ks, p, true, MemorySegment.ofArray(lower), KeyHeads.head(lower));
                    start = (r >> 1) + ((r & 1) != 0 && !inclusive ? 1 : 0);
                }
                right = NodeLayout.right(p);
                for (int i = start; i < n; i++) {
                    int cell = slot(p, n, i);
                    if (to != null && Nodes.compare(toSeg, p, leafKeyOffset(cell), keyLen(p, cell)) <= 0) {
                        pastEnd = true;
                        break;
                    }
                    entries.add(cell);
                }
            } catch (NotALeaf unlinkedLeaf) {
                // A merge took this leaf out after we followed the link to it: find the place again.
                unlinked = tree.unlinkedHit(unlinked, pid, NodeLayout.type(p));
                pid = leafFor(lower);
                continue;
            } catch (RuntimeException garbage) {
                throw tree.corrupt(pid, garbage);
            }
            entries.readOutOfLeafValues(tree);
            lastLeaf = pid;
            lastLeafVersion = w;
            // Checked here, from the consistent copy: a damaged link is the file's damage, named.
            nextLeaf = right == 0 ? 0 : tree.checkedPid(right, pid);
            exhausted = pastEnd || right == 0;
            if (entries.size() > 0) {
                lastReturned = entries.key(entries.size() - 1);
            }
            return;
        }
    }

    private void fetchBackward() throws IOException {
        Epochs.Slot slot = tree.epochs.enter();
        try {
            if (!started) {
                started = true;
            } else {
                if (inOrder()) {
                    readAhead().backward(below, fromSeg);
                }
            }
            while (true) {
                // Descend to the leaf holding the keys just below `below`, remembering its lower bound.
                byte[][] low = new byte[1][];
                long pid = tree.descent.below(below, low);
                if (!readLeafBackward(pid)) {
                    continue; // a merge took the leaf out between the descent and the read
                }
                if (entries.size() > 0) {
                    below = entries.key(entries.size() - 1);
                    if (from != null && Arrays.compareUnsigned(below, from) <= 0) {
                        exhausted = true;
                    }
                    return;
                }
                // Nothing in this leaf below `below`: continue under its lower bound, if any.
                if (low[0] == null || (from != null && Arrays.compareUnsigned(low[0], from) <= 0)) {
                    exhausted = true;
                    return;
                }
                below = low[0];
            }
        } finally {
            tree.epochs.exit(slot);
        }
    }

    /** Copies the entries of leaf {@code pid} in [from, below), descending; false if it was unlinked or split meanwhile. */
    private boolean readLeafBackward(long pid) throws IOException {
        while (true) {
            long w = tree.pool.readLatch(pid);
            MemorySegment p = entries.snapshot(tree.pool.page(pid));
            if (!tree.pool.validate(pid, w)) {
                continue; // torn copy
            }
            try {
                if (NodeLayout.type(p) != PageTypes.LEAF) {
                    throw new NotALeaf();
                }
                int hk = highKeyOff(p);
                if (hk != 0 && (below == null || Nodes.compare(MemorySegment.ofArray(below), p, hk, highKeyLen(p)) > 0)) {
                    // It split after the descent: keys just below `below` now live to the right.
                    throw new NotALeaf();
                }
                int n = Nodes.clampedCount(p);
                int end = n;
                if (below != null) {
                    end = Nodes.search(tree.ks, p, true, MemorySegment.ofArray(below), KeyHeads.head(below)) >> 1;
                }
                for (int i = end - 1; i >= 0; i--) {
                    int cell = slot(p, n, i);
                    if (from != null && Nodes.compare(fromSeg, p, leafKeyOffset(cell), keyLen(p, cell)) > 0) {
                        break;
                    }
                    entries.add(cell);
                }
            } catch (NotALeaf moved) {
                if (NodeLayout.type(p) != PageTypes.LEAF) {
                    unlinkedBackward = tree.unlinkedHit(unlinkedBackward, pid, NodeLayout.type(p));
                }
                entries.clear();
                return false;
            } catch (RuntimeException garbage) {
                throw tree.corrupt(pid, garbage);
            }
            entries.readOutOfLeafValues(tree);
            unlinkedBackward = 0;
            return true;
        }
    }

    private int unlinkedBackward;

    /** Thrown inside an optimistic read that found a page other than a leaf; never escapes this class. */
    private static final class NotALeaf extends RuntimeException {
        NotALeaf() {
            super(null, null, false, false);
        }
    }
}
