package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Node merges, so that deletes give pages back: a workload that deletes what it inserted, or
 * whose keys move on (a queue, a time window), keeps a bounded file.
 *
 * <p>A merge joins two neighbours under one parent, the right one into the left: with the parent,
 * then the left, then the right node latched (top-down, left to right: the only order in which
 * any thread holds more than one tree latch, so merges cannot deadlock with each other, and every
 * other writer holds one latch at a time), the merged node is built in a scratch page, copied over
 * the left node, the right node is marked {@link PageTypes#UNLINKED} and its parent entry removed,
 * all before any latch is released. A reader or writer that still holds a link to the unlinked
 * node finds that type and restarts from the root; the page is reused only once every operation
 * that entered before its release has left ({@link io.lightningdb.pagefile.Epochs}).
 *
 * <p>Low bounds of live nodes never change (a merge only extends the left node to the right), so
 * the B-link rule "move right while the key is beyond the high key" keeps working. The leftmost
 * node of a level never dies; an inner node may end with no keys and one child.
 *
 * <p>When: a delete that leaves its leaf under a quarter full (crossing the threshold, or empty)
 * tries to merge it with its left neighbour (its right one when it is the parent's leftmost
 * child), if the result uses at most three quarters of a page or one side is empty. A parent left
 * under a quarter full is merged the same way one level up; an inner merge pulls the parent's
 * separator down, and the children that meet at it are merged in turn, level by level down.
 */
final class Merges {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.btree");

    private Merges() {}

    /** A node using fewer bytes than this after a delete asks for a merge. */
    static int underfull(int pageSize) {
        return pageSize / 4;
    }

    /** A merged node may use at most this many bytes (unless one side was empty), leaving room to grow. */
    static int mergedLimit(int pageSize) {
        return pageSize * 3 / 4;
    }

    /** What a merge removed from the parent: the separator, and whether the parent is now underfull. */
    record Result(MemorySegment separator, boolean parentUnderfull) {}

    /**
     * After a delete left the leaf holding {@code key} underfull: merges it, then its ancestors as
     * they become underfull. The delete has been applied already, so a failure here (an I/O error
     * faulting a sibling in) is logged and leaves the tree as it was, only less compact.
     */
    static void afterDelete(BTree t, MemorySegment key) {
        try {
            for (int level = 0; level + 1 < t.height(); level++) {
                Result r = mergeAt(t, key, level);
                if (r == null) {
                    return;
                }
                for (int below = level - 1; below >= 0; below--) {
                    if (mergeAt(t, r.separator(), below) == null) {
                        break;
                    }
                }
                if (!r.parentUnderfull()) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "merge after a delete skipped: " + e, e);
        }
    }

    /**
     * Merges the node at {@code level} that covers {@code key} with its neighbour under the same
     * parent. Returns null when there is nothing to merge (no parent, no neighbour, a split in
     * flight between them, or the result would be too full).
     */
    static Result mergeAt(BTree t, MemorySegment key, int level) throws IOException {
        BufferPool pool = t.pool;
        long head = KeyHeads.head(key);
        long parentPid = t.writer().lockNode(key, head, level + 1);
        if (parentPid < 0) {
            return null;
        }
        MemorySegment parent = pool.page(parentPid);
        boolean parentChanged = false;
        try {
            int n = count(parent);
            int r = Nodes.search(t.ks, parent, false, key, head);
            int c = (r >> 1) + (r & 1) - 1; // the child covering key; -1 = leftmost
            int e = c >= 0 ? c : 0; // the entry that goes: it points at the right node of the pair
            if (e >= n) {
                return null;
            }
            long rightPid = child(parent, slot(parent, n, e));
            long leftPid = e == 0 ? leftmost(parent) : child(parent, slot(parent, n, e - 1));
            pool.lock(leftPid);
            boolean merged = false;
            try {
                pool.lock(rightPid);
                try {
                    merged = build(t, level, pool.page(leftPid), pool.page(rightPid), rightPid, parent, e);
                    if (merged) {
                        pool.page(rightPid).set(ValueLayout.JAVA_BYTE, TYPE, PageTypes.UNLINKED);
                    }
                } finally {
                    release(pool, rightPid, merged);
                }
            } finally {
                release(pool, leftPid, merged);
            }
            if (!merged) {
                return null;
            }
            MemorySegment sep = MemorySegment.ofArray(Nodes.keyAt(parent, false, e).toArray(ValueLayout.JAVA_BYTE));
            Nodes.remove(parent, false, e);
            parentChanged = true;
            t.file.free(rightPid);
            return new Result(sep, Nodes.usedBytes(parent) < underfull(t.pageSize));
        } finally {
            release(pool, parentPid, parentChanged);
        }
    }

    private static void release(BufferPool pool, long pid, boolean changed) {
        if (changed) {
            pool.unlock(pid);
        } else {
            pool.unlockUnchanged(pid);
        }
    }

    /**
     * Builds left + right (inner: + the parent's separator over right's leftmost child) in the
     * scratch page and, if it fits the rules, copies it over the left node. Changes nothing otherwise.
     */
    private static boolean build(BTree t, int level, MemorySegment a, MemorySegment b, long bPid, MemorySegment parent,
            int e) {
        if (!Nodes.isNode(type(a)) || !Nodes.isNode(type(b)) || NodeLayout.level(a) != level
                || NodeLayout.level(b) != level || right(a) != bPid) {
            return false; // a split between them is still on its way to the parent
        }
        boolean leaf = level == 0;
        MemorySegment s = t.scratch();
        Nodes.init(s, leaf ? PageTypes.LEAF : PageTypes.INNER, level);
        int na = count(a);
        int nb = count(b);
        for (int i = 0; i < na; i++) {
            if (!Nodes.appendCell(a, s, leaf, slot(a, na, i))) {
                return false;
            }
        }
        if (!leaf) {
            leftmost(s, leftmost(a));
            MemorySegment sep = Nodes.keyAt(parent, false, e);
            if (!Nodes.insertInner(s, null, count(s), sep, KeyHeads.head(sep), leftmost(b))) {
                return false;
            }
        }
        for (int i = 0; i < nb; i++) {
            if (!Nodes.appendCell(b, s, leaf, slot(b, nb, i))) {
                return false;
            }
        }
        if (!Nodes.setHighKey(s, null, Nodes.highKeySlice(b))) {
            return false;
        }
        right(s, right(b));
        boolean oneSideEmpty = na == 0 || nb == 0;
        if (!oneSideEmpty && Nodes.usedBytes(s) > mergedLimit(t.pageSize)) {
            return false;
        }
        MemorySegment.copy(s, 0, a, 0, t.pageSize);
        return true;
    }
}
