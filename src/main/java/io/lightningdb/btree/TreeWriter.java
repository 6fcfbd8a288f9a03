package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.Epochs;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tree's write path: puts and deletes at the leaf, splits upward through
 * {@link #insertSeparator}, a new root when the old one splits. Nodes are found with
 * {@link BTree#findNode} (the read path's optimistic descent) and then latched, moving right along
 * the links while the latched node no longer covers the key. One writer at a time per node;
 * writers on different leaves run side by side, and the engine never sends two writes of one key at
 * once. Runs of sorted keys that share a leaf go through {@link LeafRuns}.
 */
final class TreeWriter {
    private final BTree t;
    private final PageFile file;
    private final BufferPool pool;
    private final KeySearch ks;
    private final Epochs epochs;
    private final int pageSize;
    private final ReentrantLock rootLock = new ReentrantLock();

    TreeWriter(BTree t) {
        this.t = t;
        this.file = t.file;
        this.pool = t.pool;
        this.ks = t.ks;
        this.epochs = t.epochs;
        this.pageSize = t.pageSize;
    }

    /**
     * Inserts or replaces {@code key}. Returns true if the key was new. Where the value goes is
     * {@link BTree#kindFor}'s choice: the leaf, value pages, or an overflow chain.
     */
    boolean put(MemorySegment key, MemorySegment value) throws IOException {
        return put(key, value, null, 0);
    }

    /**
     * As {@link #put(MemorySegment, MemorySegment)}; when {@code before} is not null, the key's
     * previous value (null when it was absent) goes to {@code before[at]}, read before anything
     * changes, so a failure changes nothing.
     */
    boolean put(MemorySegment key, MemorySegment value, byte[][] before, int at) throws IOException {
        long head = KeyHeads.head(key);
        long len = value.byteSize();
        byte kind = t.kindFor((int) key.byteSize(), len);
        // An overflow chain is written before the leaf is latched; value-page space after, when
        // the old entry says whether the value can be overwritten in place.
        long ref = kind == VALUE_OVERFLOW ? OverflowChains.write(file, value) : 0;
        Epochs.Slot slot = epochs.enter();
        boolean installed = false;
        try {
            long pid = lockLeaf(key, head);
            MemorySegment p = pool.page(pid);
            boolean released = false;
            int r;
            byte oldKind = VALUE_INLINE;
            long oldRef = 0;
            long oldLen = 0;
            boolean existed;
            boolean inPlace = false;
            try {
                r = Nodes.search(ks, p, true, key, head);
                existed = (r & 1) != 0;
                if (existed) {
                    int cell = slot(p, count(p), r >> 1);
                    if (before != null) {
                        before[at] = valueOf(p, cell);
                    }
                    oldLen = valueLen(p, cell);
                    oldKind = valueKind(p, cell);
                    if (oldKind != VALUE_INLINE) {
                        oldRef = p.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) leafKeyOffset(cell) + keyLen(p, cell));
                    }
                } else if (before != null) {
                    before[at] = null;
                }
                if (kind == VALUE_SEPARATE && oldKind == VALUE_SEPARATE && oldLen == len) {
                    // Same length: the value's pieces take the new bytes, all their pages latched
                    // until done, so a reader validating them sees the old value or the new one.
                    t.values.overwrite(oldRef, value);
                    inPlace = true;
                } else if (kind == VALUE_SEPARATE) {
                    ref = t.values.append(value);
                }
                if (inPlace || Nodes.upsertLeaf(p, t.scratch(), r, key, head, kind, len, value, ref)) {
                    pool.unlock(pid);
                    installed = true;
                } else {
                    // The split releases the latch on every path and changes nothing when it fails.
                    released = true;
                    Splits.Separator sep = Splits.splitLeafAndInsert(t, pid, r >> 1, existed, key, head, kind, len, value,
                            ref);
                    installed = true;
                    insertSeparator(sep);
                }
            } catch (IOException | RuntimeException e) {
                if (!installed && !released) {
                    pool.unlockUnchanged(pid);
                }
                throw e;
            }
            if (!inPlace) {
                releaseValue(oldKind, oldRef, oldLen);
            }
            if (!existed) {
                t.keys.incrementAndGet();
            }
            long grown = existed ? len - oldLen : key.byteSize() + len;
            if (grown != 0) {
                t.liveBytes.add(grown);
            }
            return !existed;
        } catch (IOException | RuntimeException e) {
            if (!installed && ref != 0) {
                releaseValue(kind, ref, len);
            }
            throw e;
        } finally {
            epochs.exit(slot);
        }
    }

    /** Gives back the space of a value no leaf names any more: its overflow chain or its value-page pieces. */
    private void releaseValue(byte kind, long ref, long len) throws IOException {
        if (kind == VALUE_OVERFLOW) {
            OverflowChains.free(file, ref, len);
        } else if (kind == VALUE_SEPARATE) {
            t.values.release(ref, len);
        }
    }

    /** Removes {@code key}; returns whether it was there. */
    boolean delete(MemorySegment key) throws IOException {
        return delete(key, null, 0);
    }

    /** As {@link #delete(MemorySegment)}, keeping the previous value in {@code before[at]} as {@link #put} does. */
    boolean delete(MemorySegment key, byte[][] before, int at) throws IOException {
        long head = KeyHeads.head(key);
        Epochs.Slot slot = epochs.enter();
        try {
            long pid = lockLeaf(key, head);
            MemorySegment p = pool.page(pid);
            int r = Nodes.search(ks, p, true, key, head);
            if ((r & 1) == 0) {
                pool.unlockUnchanged(pid);
                if (before != null) {
                    before[at] = null;
                }
                return false;
            }
            int cell = slot(p, count(p), r >> 1);
            if (before != null) {
                try {
                    before[at] = valueOf(p, cell);
                } catch (IOException | RuntimeException e) {
                    pool.unlockUnchanged(pid);
                    throw e;
                }
            }
            byte kind = valueKind(p, cell);
            long ref = kind != VALUE_INLINE
                    ? p.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) leafKeyOffset(cell) + keyLen(p, cell))
                    : 0;
            long len = valueLen(p, cell);
            int usedBefore = Nodes.usedBytes(p);
            Nodes.remove(p, true, r >> 1);
            int usedAfter = Nodes.usedBytes(p);
            int threshold = Merges.underfull(pageSize);
            boolean merge = usedAfter < threshold && (usedBefore >= threshold || count(p) == 0);
            pool.unlock(pid);
            releaseValue(kind, ref, len);
            t.keys.decrementAndGet();
            t.liveBytes.add(-(key.byteSize() + len));
            if (merge) {
                Merges.afterDelete(t, key);
            }
            return true;
        } finally {
            epochs.exit(slot);
        }
    }

    /**
     * A copy of the value of the entry at {@code cell} of the latched leaf {@code p}; an overflow or
     * separated value is read from its pages, which cannot change while the leaf that names it is
     * latched.
     */
    byte[] valueOf(MemorySegment p, int cell) throws IOException {
        byte kind = valueKind(p, cell);
        if (kind == VALUE_INLINE) {
            return inlineValue(p, cell);
        }
        long len = valueLen(p, cell);
        byte[] v = new byte[(int) len];
        long ref = p.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) leafKeyOffset(cell) + keyLen(p, cell));
        if (kind == VALUE_SEPARATE) {
            t.values.read(ref, len, MemorySegment.ofArray(v));
        } else {
            OverflowChains.read(file, ref, len, MemorySegment.ofArray(v));
        }
        return v;
    }

    /** A copy of the inline value of the entry at {@code cell} of leaf {@code p}. */
    static byte[] inlineValue(MemorySegment p, int cell) {
        long len = valueLen(p, cell);
        byte[] v = new byte[(int) len];
        MemorySegment.copy(p, (long) leafKeyOffset(cell) + keyLen(p, cell), MemorySegment.ofArray(v), 0, len);
        return v;
    }

    /** Finds the leaf for {@code key} optimistically, latches it, and moves right if it split meanwhile. */
    long lockLeaf(MemorySegment key, long head) throws IOException {
        return lockNode(key, head, 0);
    }

    /**
     * The live node at {@code level} covering {@code key}, exclusively latched; -1 if the tree has
     * no such level. Restarts from the root when it meets a node a merge unlinked meanwhile.
     */
    long lockNode(MemorySegment key, long head, int level) throws IOException {
        for (int unlinked = 0; ; ) {
            long pid = t.findNode(key, head, level);
            if (pid < 0) {
                return -1;
            }
            pid = lockCovering(pid, key);
            if (pid > 0) {
                return pid;
            }
            unlinked = t.unlinkedHit(unlinked, -pid, PageTypes.UNLINKED);
        }
    }

    /**
     * Latches {@code pid}, then moves right (latching one node at a time) until it covers
     * {@code key}. Returns the latched node, or minus the page id of an unlinked node it met
     * (latch released): the caller starts over.
     */
    private long lockCovering(long pid, MemorySegment key) throws IOException {
        pool.lock(pid);
        while (true) {
            MemorySegment p = pool.page(pid);
            if (!Nodes.isNode(NodeLayout.type(p))) {
                pool.unlockUnchanged(pid);
                return -pid;
            }
            if (!Nodes.beyondHighKey(p, key)) {
                return pid;
            }
            long next = t.checkedPid(right(p), pid);
            pool.unlockUnchanged(pid);
            pool.lock(next);
            pid = next;
        }
    }

    /** Adds a split's separator to the parent level, splitting upward as far as needed. */
    void insertSeparator(Splits.Separator s) throws IOException {
        while (s != null) {
            s = insertSeparator(s.level(), s.key(), s.child());
        }
    }

    /** Adds {@code sep} -> {@code child} to {@code level}; returns the next separator if that level split. */
    private Splits.Separator insertSeparator(int level, MemorySegment sep, long child) throws IOException {
        long head = KeyHeads.head(sep);
        while (true) {
            if (level >= t.height() && growRoot(level, sep, child)) {
                return null;
            }
            long pid = lockNode(sep, head, level);
            if (pid < 0) {
                continue;
            }
            MemorySegment p = pool.page(pid);
            int idx = Nodes.search(ks, p, false, sep, head) >> 1;
            try {
                if (Nodes.insertInner(p, t.scratch(), idx, sep, head, child)) {
                    pool.unlock(pid);
                    return null;
                }
            } catch (RuntimeException e) {
                pool.unlockUnchanged(pid);
                throw e;
            }
            return Splits.splitInnerAndInsert(t, pid, idx, sep, head, child);
        }
    }

    /** If the tree is still {@code level} high, puts a new root above the old one; false if someone else did. */
    private boolean growRoot(int level, MemorySegment sep, long child) throws IOException {
        rootLock.lock();
        try {
            if (t.height() != level) {
                return false;
            }
            long oldRoot = t.rootPage();
            long pid = file.allocate();
            MemorySegment p = pool.page(pid);
            Nodes.init(p, PageTypes.INNER, level);
            leftmost(p, oldRoot);
            Nodes.insertInner(p, t.scratch(), 0, sep, KeyHeads.head(sep), child);
            pool.unlock(pid);
            t.newRoot(pid, level + 1);
            return true;
        } finally {
            rootLock.unlock();
        }
    }
}
