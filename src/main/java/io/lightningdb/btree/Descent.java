package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.PageTypes;
import io.lightningdb.store.ValueTarget;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The tree's one optimistic descent, as LMDB's {@code mdb_page_search_root} with its
 * {@code MDB_PS_FIRST} / {@code MDB_PS_LAST} flags: every lookup, every writer's search and every
 * cursor reaches its node here, in one of three {@link Mode modes}. At each node it reads the
 * page's version, then the page, then validates the version before following any link it read,
 * and starts over from the root on a change; every link it follows is range-checked
 * ({@link BTree#checkedPid}), so a damaged file is a {@code CorruptFileException} naming the page,
 * whichever way the tree is walked. The caller is inside an epoch.
 */
final class Descent {
    /** Where a descent goes. */
    enum Mode {
        /** To the node at a level whose range holds a key (moving right past high keys). */
        TO_KEY,
        /** To the leftmost leaf ({@code MDB_PS_FIRST}). */
        FIRST,
        /**
         * To the leaf that holds the largest keys below a key, or the rightmost leaf for none
         * ({@code MDB_PS_LAST}), noting that leaf's lower bound: what a reverse scan steps along.
         */
        BELOW
    }

    /** {@link #readLeafValue}'s answer when the leaf changed under the read. */
    private static final long RESTART = Long.MIN_VALUE;

    private final BTree t;
    private final BufferPool pool;
    private final KeySearch ks;

    Descent(BTree t) {
        this.t = t;
        this.pool = t.pool;
        this.ks = t.ks;
    }

    /**
     * The node at {@code level} (0 = leaves) whose range holds {@code key}. Without a
     * {@code target} it returns that node's page id (-1 when the tree has no such level yet: the
     * root was replaced since it was read); with one (level 0, a lookup) it reads the value under
     * the leaf's same version and returns its length, or -1 when the key is absent. With
     * {@code load} false it never waits for the file: a page not in memory ends it with
     * {@code -2 - pid}.
     */
    long toKey(MemorySegment key, long head, int level, boolean load, ValueTarget target) throws IOException {
        return descend(Mode.TO_KEY, key, head, level, load, target, null);
    }

    /** The leftmost leaf. */
    long first() throws IOException {
        return descend(Mode.FIRST, null, 0, 0, true, null, null);
    }

    /**
     * The leaf that holds the largest keys below {@code key} (null = +infinity), and in
     * {@code low[0]} that leaf's lower bound (null = -infinity).
     */
    long below(byte[] key, byte[][] low) throws IOException {
        MemorySegment probe = key == null ? null : MemorySegment.ofArray(key);
        return descend(Mode.BELOW, probe, key == null ? 0 : KeyHeads.head(key), 0, true, null, low);
    }

    private long descend(Mode mode, MemorySegment key, long head, int level, boolean load, ValueTarget target,
            byte[][] low) throws IOException {
        int unlinked = 0;
        restart:
        while (true) {
            long pid = t.rootPage();
            if (low != null) {
                low[0] = null;
            }
            while (true) {
                long w = load ? pool.readLatch(pid) : pool.readLatchResident(pid);
                if (w == BufferPool.NOT_RESIDENT) {
                    return -2 - pid;
                }
                MemorySegment p = pool.page(pid);
                long next;
                int lvl;
                byte type;
                // BELOW: the lower bound of the node `next` names, when it differs from this one's.
                byte[] nextLow = null;
                try {
                    type = NodeLayout.type(p);
                    lvl = NodeLayout.level(p);
                    if (!Nodes.isNode(type)) {
                        next = 0;
                    } else if (mode == Mode.TO_KEY) {
                        next = Nodes.beyondHighKey(p, key, head) ? right(p)
                                : lvl > level ? Nodes.route(ks, p, key, head) : -1;
                    } else if (mode == Mode.FIRST) {
                        next = lvl > 0 ? leftmost(p) : -1;
                    } else {
                        MemorySegment hk = Nodes.highKeySlice(p);
                        // Keys below `key` continue to the right only if `key` lies beyond this node's range.
                        if (hk != null && (key == null || Nodes.compare(key, p, highKeyOff(p), highKeyLen(p)) > 0)) {
                            next = right(p);
                            nextLow = hk.toArray(ValueLayout.JAVA_BYTE);
                        } else if (lvl == 0) {
                            next = -1;
                        } else {
                            int n = Nodes.clampedCount(p);
                            int idx = key == null ? n : Nodes.search(ks, p, false, key, head) >> 1;
                            if (idx == 0) {
                                next = leftmost(p);
                            } else {
                                int cell = slot(p, n, idx - 1);
                                next = child(p, cell);
                                nextLow = p.asSlice(innerKeyOffset(cell), keyLen(p, cell)).toArray(ValueLayout.JAVA_BYTE);
                            }
                        }
                    }
                } catch (RuntimeException garbage) {
                    t.restartUnlessDamaged(pid, w, garbage);
                    continue restart;
                }
                if (!pool.validate(pid, w)) {
                    continue restart;
                }
                if (!Nodes.isNode(type)) {
                    unlinked = t.unlinkedHit(unlinked, pid, type);
                    continue restart;
                }
                if ((type == PageTypes.LEAF) != (lvl == 0)) {
                    throw t.corrupt(pid, new IllegalStateException("a node of type " + type + " at level " + lvl));
                }
                if (lvl < level) {
                    return -1;
                }
                if (next != -1) {
                    if (nextLow != null) {
                        low[0] = nextLow;
                    }
                    pid = t.checkedPid(next, pid);
                    continue;
                }
                if (target == null) {
                    return pid;
                }
                long r = readLeafValue(pid, w, p, key, head, target, load);
                if (r == RESTART) {
                    continue restart;
                }
                return r;
            }
        }
    }

    /**
     * The lookup's last step, under the leaf's version {@code w}: the value's length, -1 if absent,
     * or {@link #RESTART}; without {@code load}, a separated value whose first page is not in
     * memory is {@code -2 - thatPage}, as a node would be.
     */
    private long readLeafValue(long pid, long w, MemorySegment p, MemorySegment key, long head, ValueTarget target,
            boolean load) throws IOException {
        int cell;
        byte kind;
        long len;
        try {
            int r = Nodes.search(ks, p, true, key, head);
            if ((r & 1) == 0) {
                return pool.validate(pid, w) ? -1 : RESTART;
            }
            cell = slot(p, Nodes.clampedCount(p), r >> 1);
            kind = valueKind(p, cell);
            len = valueLen(p, cell);
        } catch (RuntimeException garbage) {
            t.restartUnlessDamaged(pid, w, garbage);
            return RESTART;
        }
        if (!pool.validate(pid, w)) {
            return RESTART;
        }
        MemorySegment dst = target.prepare(len);
        if (dst == null) {
            return len;
        }
        long at = (long) leafKeyOffset(cell) + keyLen(p, cell);
        if (kind == VALUE_INLINE) {
            try {
                MemorySegment.copy(p, at, dst, 0, len);
            } catch (RuntimeException garbage) {
                t.restartUnlessDamaged(pid, w, garbage);
                return RESTART;
            }
            return pool.validate(pid, w) ? len : RESTART;
        }
        long ref;
        try {
            ref = p.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
        } catch (RuntimeException garbage) {
            t.restartUnlessDamaged(pid, w, garbage);
            return RESTART;
        }
        if (!pool.validate(pid, w)) {
            return RESTART;
        }
        if (kind == VALUE_OVERFLOW) {
            OverflowChains.read(t.file, ref, len, dst);
            return len;
        }
        if (kind != VALUE_SEPARATE) {
            throw t.corrupt(pid, new IllegalStateException("value kind " + kind + " is none of 0, 1, 2"));
        }
        long valuePid = ValuePages.pid(ref);
        if (!load && valuePid > 0 && valuePid < pool.maxPages() && !pool.isResident(valuePid)) {
            return -2 - valuePid;
        }
        t.values.read(ref, len, dst);
        return len;
    }
}
