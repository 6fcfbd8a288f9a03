package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A cursor's read-ahead ({@code readAheadPages}), after RocksDB's auto-readahead: once a scan has
 * gone from leaf to leaf twice in a row, a step to a leaf that is not in memory loads that leaf
 * and the ones after it in key order in one batch at queue depth ({@code BufferPool.prefetch},
 * all reads in flight at once with io_uring), and the window doubles at each such step, from
 * {@value #FIRST_WINDOW} up to the bound. The steps that follow find their leaves in memory; the
 * first leaf a batch did not reach starts the next one. A scan over cached leaves never asks.
 *
 * <p>The leaves come from their parent's child list (the level-1 node covering the scan's last
 * key, and its right neighbour when the window goes past it), not from the leaves' right links,
 * which would take a read each; children whose range starts at or past the scan's end key are not
 * asked for. Reverse scans take the children to the left. The ids are read optimistically and are
 * only hints: a leaf split, merged or freed meanwhile is loaded for nothing (a batch load skips
 * what is resident or out of range, and leaves a failed read to the normal path), never read as
 * data, since the cursor reads every leaf through its own validated descent or link.
 */
final class ReadAhead {
    /** Leaves in the first batch. */
    static final int FIRST_WINDOW = 8;
    /** Level-1 nodes one batch may take children from (the one covering the key and its neighbour). */
    private static final int PARENTS = 2;
    /** Optimistic reads of a parent before giving up on one batch. */
    private static final int TRIES = 3;

    private final BTree tree;
    private final int max;
    private int window;
    private long[] pids;

    ReadAhead(BTree tree, int maxPages) {
        this.tree = tree;
        this.max = maxPages;
    }

    /** The scan went off its order (a new descent): the next batch starts small again. */
    void reset() {
        window = 0;
    }

    /**
     * Before a forward step to leaf {@code next}, the right neighbour of the leaf that ended at
     * {@code lastKey}, the cursor's second or later in order: loads it and the leaves after it when
     * it is not in memory. Inside an epoch.
     */
    void forward(long next, byte[] lastKey, MemorySegment to) throws IOException {
        if (lastKey == null || tree.pool.isResident(next)) {
            return;
        }
        window = grown();
        int n = collect(lastKey, to, false, next, window);
        if (n > 1) {
            tree.pool.prefetch(pids, n);
        }
    }

    /**
     * Before a backward step to the leaf holding the keys just below {@code below}, the cursor's
     * second or later in order: when that leaf is not in memory, loads it and the leaves before
     * it. Inside an epoch.
     */
    void backward(byte[] below, MemorySegment from) throws IOException {
        if (below == null) {
            return;
        }
        int grown = grown();
        int n = collect(below, from, true, 0, grown);
        // The leaf the step reads first: only a miss there starts a batch (and grows the window).
        if (n > 1 && !tree.pool.isResident(pids[0])) {
            window = grown;
            tree.pool.prefetch(pids, n);
        }
    }

    /** The window of the next batch: the first, or twice the last, at most the bound. */
    private int grown() {
        return window == 0 ? Math.min(max, FIRST_WINDOW) : Math.min(max, window * 2);
    }

    /**
     * Fills {@link #pids} with up to {@code want} leaf ids in scan order: forward, {@code first}
     * (if not 0) then the children after the one covering {@code key} whose range starts below
     * {@code bound}; backward, the child covering the keys just below {@code key} and those left
     * of it whose range ends above {@code bound}. Returns how many; 0 for a tree of one level or
     * a parent that kept changing under the reads.
     */
    private int collect(byte[] key, MemorySegment bound, boolean reverse, long first, int want) throws IOException {
        if (pids == null || pids.length < want) {
            pids = new long[want];
        }
        MemorySegment probe = MemorySegment.ofArray(key);
        long head = KeyHeads.head(key);
        long parent = tree.findNode(probe, head, 1);
        if (parent < 0) {
            return 0;
        }
        for (int attempt = 0; attempt < TRIES; attempt++) {
            int n = 0;
            if (first != 0) {
                pids[n++] = first;
            }
            long pid = parent;
            boolean valid = true;
            for (int hop = 0; hop < PARENTS && pid > 0 && n < want && valid; hop++) {
                long w = tree.pool.readLatch(pid);
                MemorySegment p = tree.pool.page(pid);
                long right = 0;
                try {
                    if (NodeLayout.type(p) != PageTypes.INNER || NodeLayout.level(p) != 1) {
                        valid = false; // merged away since the descent, or torn: try again
                        break;
                    }
                    int count = Nodes.clampedCount(p);
                    n = reverse ? childrenLeft(p, count, probe, head, bound, n, want)
                            : childrenRight(p, count, probe, head, hop == 0, bound, n, want);
                    // Forward, the next parent only if the scan's end lies past this one's high key.
                    boolean endHere = bound != null && !Nodes.beyondHighKey(p, bound);
                    right = reverse || endHere ? 0 : NodeLayout.right(p);
                } catch (RuntimeException torn) {
                    valid = false;
                }
                valid = valid && tree.pool.validate(pid, w);
                pid = right == 0 ? 0 : tree.checkedPid(right, pid);
            }
            if (valid) {
                return n;
            }
        }
        return 0;
    }

    /** Children right of the one covering the probe (all of them after the first parent), while their range starts below {@code to}. */
    private int childrenRight(MemorySegment p, int count, MemorySegment probe, long head, boolean coveringHere,
            MemorySegment to, int n, int want) {
        int from = 0;
        if (coveringHere) {
            int r = Nodes.search(tree.ks, p, false, probe, head);
            from = (r >> 1) + (r & 1); // keys <= probe: the covering child is child(from - 1) or leftmost
        } else if (n < want && !contains(n, leftmost(p))) {
            pids[n++] = leftmost(p);
        }
        for (int i = from; i < count && n < want; i++) {
            int cell = slot(p, count, i);
            if (to != null && Nodes.compare(to, p, innerKeyOffset(cell), keyLen(p, cell)) <= 0) {
                return n;
            }
            long c = child(p, cell);
            if (!contains(n, c)) {
                pids[n++] = c;
            }
        }
        return n;
    }

    /** The child covering the keys just below the probe and the children left of it, while their range ends above {@code from}. */
    private int childrenLeft(MemorySegment p, int count, MemorySegment probe, long head, MemorySegment from, int n,
            int want) {
        // Keys strictly below the probe: the child whose range holds them is the one right of the
        // last separator below the probe.
        int idx = Nodes.search(tree.ks, p, false, probe, head) >> 1; // separators < probe
        for (int i = idx; i >= 0 && n < want; i--) {
            long c = i == 0 ? leftmost(p) : child(p, slot(p, count, i - 1));
            pids[n++] = c;
            if (i > 0 && from != null) {
                int cell = slot(p, count, i - 1);
                // This child's range starts at its separator: at or below `from`, nothing left of it is wanted.
                if (Nodes.compare(from, p, innerKeyOffset(cell), keyLen(p, cell)) >= 0) {
                    return n;
                }
            }
        }
        return n;
    }

    private boolean contains(int n, long pid) {
        for (int i = 0; i < n; i++) {
            if (pids[i] == pid) {
                return true;
            }
        }
        return false;
    }
}
