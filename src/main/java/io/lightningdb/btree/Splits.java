package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Node splits. The node's entries plus the pending one form a combined sequence; a split point
 * is chosen so both halves (each with its high key) fit, as balanced by bytes as possible, except
 * that appending past the end of the last node of a level puts only the new entry on the right:
 * sequential loads then fill pages completely.
 *
 * <p>Order of changes (Lehman and Yao): the new right node is written completely and linked from
 * the left node in one latched update, so a reader sees either the old node or both halves with
 * the right link between them; the separator reaches the parent afterwards, and until then the
 * right link and high key route around the gap.
 */
final class Splits {
    private Splits() {}

    /** A split's separator, still to be added to the parent level. */
    record Separator(int level, MemorySegment key, long child) {}

    /** One entry of the combined sequence: from the old node ({@code cell >= 0}) or the pending one. */
    private static int entrySize(MemorySegment s, boolean leaf, int cell, int pendingSize) {
        return ENTRY_OVERHEAD + (cell >= 0 ? cellSize(s, leaf, cell) : pendingSize);
    }

    /**
     * Splits latched leaf {@code pid} while inserting (or, when {@code replace}, replacing entry
     * {@code idx} with) the given entry. Releases the latch on every path; allocates before
     * changing anything, so a failure leaves the leaf as it was.
     */
    static Separator splitLeafAndInsert(BTree t, long pid, int idx, boolean replace, MemorySegment key, long head, byte kind,
            long len, MemorySegment value, long valueRef) throws IOException {
        BufferPool pool = t.pool;
        long newPid;
        try {
            newPid = t.file.allocate();
        } catch (IOException | RuntimeException e) {
            pool.unlockUnchanged(pid);
            throw e;
        }
        MemorySegment p = pool.page(pid);
        MemorySegment r = pool.page(newPid);
        MemorySegment s = t.scratch();
        MemorySegment.copy(p, 0, s, 0, t.pageSize);
        int n = count(s);
        int[] cells = combined(s, n, idx, replace);
        int pendingSize = leafCellSize((int) key.byteSize(), kind, len);
        int m = chooseOrRelease(t, pid, newPid, s, true, cells, pendingSize, (int) key.byteSize());

        Nodes.init(p, PageTypes.LEAF, 0);
        Nodes.init(r, PageTypes.LEAF, 0);
        MemorySegment sep = null;
        for (int j = 0; j < cells.length; j++) {
            MemorySegment node = j < m ? p : r;
            if (cells[j] >= 0) {
                if (!Nodes.appendCell(s, node, true, cells[j])) {
                    throw new IllegalStateException("split half overflowed: page size " + t.pageSize);
                }
                if (j == m) {
                    sep = Nodes.keyAt(node, true, count(node) - 1);
                }
            } else {
                if (!Nodes.insertLeaf(node, null, count(node), key, head, kind, len, value, valueRef)) {
                    throw new IllegalStateException("split half overflowed: page size " + t.pageSize);
                }
                if (j == m) {
                    sep = key;
                }
            }
        }
        return finishSplit(t, pid, p, newPid, r, s, sep, 0);
    }

    /** Like {@link #splitLeafAndInsert} for an inner node at any level above the leaves. */
    static Separator splitInnerAndInsert(BTree t, long pid, int idx, MemorySegment key, long head, long child) throws IOException {
        BufferPool pool = t.pool;
        long newPid;
        try {
            newPid = t.file.allocate();
        } catch (IOException | RuntimeException e) {
            pool.unlockUnchanged(pid);
            throw e;
        }
        MemorySegment p = pool.page(pid);
        MemorySegment r = pool.page(newPid);
        MemorySegment s = t.scratch();
        MemorySegment.copy(p, 0, s, 0, t.pageSize);
        int level = NodeLayout.level(s);
        int n = count(s);
        int[] cells = combined(s, n, idx, false);
        int pendingSize = INNER_CELL_HEADER + (int) key.byteSize();
        int m = chooseOrRelease(t, pid, newPid, s, false, cells, pendingSize, (int) key.byteSize());

        Nodes.init(p, PageTypes.INNER, level);
        Nodes.init(r, PageTypes.INNER, level);
        leftmost(p, leftmost(s));
        MemorySegment sep = null;
        for (int j = 0; j < cells.length; j++) {
            MemorySegment k = cells[j] >= 0 ? s.asSlice(innerKeyOffset(cells[j]), keyLen(s, cells[j])) : key;
            long c = cells[j] >= 0 ? NodeLayout.child(s, cells[j]) : child;
            if (j == m) {
                // The separator moves up; its child becomes the right node's leftmost.
                sep = k;
                leftmost(r, c);
            } else {
                MemorySegment node = j < m ? p : r;
                if (!Nodes.insertInner(node, null, count(node), k, KeyHeads.head(k), c)) {
                    throw new IllegalStateException("split half overflowed: page size " + t.pageSize);
                }
            }
        }
        return finishSplit(t, pid, p, newPid, r, s, sep, level);
    }

    /** Links the halves, sets high keys, releases both latches; returns the separator for the parent. */
    private static Separator finishSplit(BTree t, long pid, MemorySegment p, long newPid, MemorySegment r, MemorySegment s,
            MemorySegment sep, int level) throws IOException {
        // sep may point into the scratch page or the new page: copy before they change.
        byte[] sepBytes = sep.toArray(ValueLayout.JAVA_BYTE);
        MemorySegment sepCopy = MemorySegment.ofArray(sepBytes);
        right(r, right(s));
        Nodes.setHighKey(r, s, Nodes.highKeySlice(s) == null ? null
                : MemorySegment.ofArray(Nodes.highKeySlice(s).toArray(ValueLayout.JAVA_BYTE)));
        right(p, newPid);
        if (!Nodes.setHighKey(p, s, sepCopy)) {
            throw new IllegalStateException("split left no room for the high key: page size " + t.pageSize);
        }
        t.pool.unlock(newPid);
        t.pool.unlock(pid);
        return new Separator(level + 1, sepCopy, newPid);
    }

    /**
     * {@link #choose}, but if no split point fits (a key limit the file should have refused), both
     * latches are released and the new page freed before the error: nothing changed, nothing hangs.
     */
    private static int chooseOrRelease(BTree t, long pid, long newPid, MemorySegment s, boolean leaf, int[] cells,
            int pendingSize, int pendingKeyLen) {
        try {
            return choose(s, leaf, cells, pendingSize, pendingKeyLen, t.pageSize);
        } catch (RuntimeException e) {
            t.pool.unlockUnchanged(pid);
            t.pool.unlock(newPid);
            t.file.free(newPid);
            throw e;
        }
    }

    /** Cell offsets of the combined sequence, -1 marking the pending entry. */
    private static int[] combined(MemorySegment s, int n, int idx, boolean replace) {
        int[] cells = new int[replace ? n : n + 1];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (i == idx) {
                cells[j++] = -1;
                if (replace) {
                    continue;
                }
            }
            cells[j++] = slot(s, n, i);
        }
        if (idx == n && !replace) {
            cells[j] = -1;
        }
        return cells;
    }

    /**
     * The first index of the right half. Leaves: [0, m) left, [m, end) right, separator = key m.
     * Inner: [0, m) left, m up, (m, end) right.
     */
    private static int choose(MemorySegment s, boolean leaf, int[] cells, int pendingSize, int pendingKeyLen, int pageSize) {
        int total = cells.length;
        int[] prefix = new int[total + 1];
        for (int j = 0; j < total; j++) {
            prefix[j + 1] = prefix[j] + entrySize(s, leaf, cells[j], pendingSize);
        }
        int oldHigh = Nodes.highKeySlice(s) == null ? 0 : highKeyLen(s);
        int capacity = pageSize - HEADS;
        boolean lastOfLevel = right(s) == 0;
        int best = -1;
        long bestGap = Long.MAX_VALUE;
        for (int m = 1; m <= total - 1; m++) {
            int sepLen = cells[m] >= 0 ? keyLen(s, cells[m]) : pendingKeyLen;
            int left = prefix[m] + sepLen;
            int right = (prefix[total] - prefix[m + (leaf ? 0 : 1)]) + oldHigh;
            if (left > capacity || right > capacity) {
                continue;
            }
            if (lastOfLevel && m == total - 1 && cells[m] < 0) {
                return m; // appending at the end of the level: keep the left node full
            }
            long gap = Math.abs((long) left - right);
            if (gap < bestGap) {
                bestGap = gap;
                best = m;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no split point fits: " + total + " entries, page size " + pageSize);
        }
        return best;
    }
}
