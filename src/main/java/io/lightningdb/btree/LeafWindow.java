package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The ids of a run of leaves in key order, taken from their parents' child lists (the level-1
 * node covering a key, and its neighbour when the run goes past it) for read-ahead and prefetch.
 * Read optimistically; the ids are hints, never read as data. One per thread that collects.
 */
final class LeafWindow {
    /** Level-1 nodes one window may take children from (the one covering the key and its neighbour). */
    private static final int PARENTS = 2;
    /** Optimistic reads of a parent before giving up on one window. */
    private static final int TRIES = 3;

    private final BTree tree;
    long[] pids = new long[64];
    /**
     * After a forward {@link #collect}: the lower bound of the first leaf after the window, where
     * the next window starts; null at the scan's end (or the tree's) or when not known.
     */
    byte[] resume;

    LeafWindow(BTree tree) {
        this.tree = tree;
    }

    /**
     * Fills {@link #pids} with up to {@code want} leaf ids in scan order. Forward: {@code first}
     * (if not 0), the child covering {@code key} if {@code covering}, then the children after it
     * whose range starts below {@code bound}. Backward: the child covering the keys just below
     * {@code key} and those left of it whose range ends above {@code bound}. Returns how many; 0
     * for a tree of one level or a parent that kept changing under the reads.
     */
    int collect(byte[] key, MemorySegment bound, boolean reverse, long first, boolean covering, int want)
            throws IOException {
        if (pids.length < want) {
            pids = new long[want];
        }
        resume = null;
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
                    if (reverse) {
                        n = childrenLeft(p, count, probe, head, bound, n, want);
                    } else {
                        n = childrenRight(p, count, probe, head, hop == 0, covering && hop == 0, bound, n, want);
                        // The next parent only if the scan's end lies past this one's high key.
                        boolean endHere = bound != null && !Nodes.beyondHighKey(p, bound);
                        right = endHere ? 0 : NodeLayout.right(p);
                    }
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
        resume = null;
        return 0;
    }

    /**
     * Children right of the one covering the probe (it too with {@code withCovering}; all of them
     * after the first parent), while their range starts below {@code to}. Sets {@link #resume}.
     */
    private int childrenRight(MemorySegment p, int count, MemorySegment probe, long head, boolean coveringHere,
            boolean withCovering, MemorySegment to, int n, int want) {
        int from = 0;
        if (coveringHere) {
            int r = Nodes.search(tree.ks, p, false, probe, head);
            from = (r >> 1) + (r & 1); // keys <= probe: the covering child is child(from - 1) or leftmost
            if (withCovering && n < want) {
                long c = from == 0 ? leftmost(p) : child(p, slot(p, count, from - 1));
                if (!contains(n, c)) {
                    pids[n++] = c;
                }
            }
        } else if (n < want && !contains(n, leftmost(p))) {
            pids[n++] = leftmost(p);
        }
        int i = from;
        for (; i < count && n < want; i++) {
            int cell = slot(p, count, i);
            if (to != null && Nodes.compare(to, p, innerKeyOffset(cell), keyLen(p, cell)) <= 0) {
                resume = null;
                return n;
            }
            long c = child(p, cell);
            if (!contains(n, c)) {
                pids[n++] = c;
            }
        }
        if (i < count) {
            int cell = slot(p, count, i);
            resume = p.asSlice(innerKeyOffset(cell), keyLen(p, cell)).toArray(ValueLayout.JAVA_BYTE);
        } else {
            MemorySegment hk = Nodes.highKeySlice(p);
            resume = hk == null ? null : hk.toArray(ValueLayout.JAVA_BYTE);
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
