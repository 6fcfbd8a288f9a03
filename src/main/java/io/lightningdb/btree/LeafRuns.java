package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.Epochs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A batch's sorted keys applied a leaf at a time: one descent and one latch for every run of keys
 * that fall in the same leaf and fit in it. What a run cannot do in place (a split, a value for an
 * overflow chain, an old overflow value to free) ends it, and the next call hands that key to
 * {@link TreeWriter}'s single-key path. A run changes only the one latched leaf, with in-memory
 * edits that read nothing from the file, so an {@link IOException} comes before any change; only a
 * damaged leaf (a runtime exception from its bounds checks) can stop a run part way, and that is
 * reported, not undone, as for a single put that meets it.
 */
final class LeafRuns {
    private final BTree t;
    private final TreeWriter writer;
    private final BufferPool pool;
    private final Epochs epochs;
    private final int pageSize;

    LeafRuns(BTree t, TreeWriter writer) {
        this.t = t;
        this.writer = writer;
        this.pool = t.pool;
        this.epochs = t.epochs;
        this.pageSize = t.pageSize;
    }

    /**
     * Applies {@code keys[from..]} (strictly ascending; a null value deletes) while they share the
     * leaf of {@code keys[from]}, at least that one; with {@code before} not null, each key's
     * previous value (null when absent) goes to {@code before[i]}. Returns the index after the last
     * key applied.
     */
    int apply(List<byte[]> keys, List<byte[]> values, int from, byte[][] before) throws IOException {
        int n = keys.size();
        byte[] first = keys.get(from);
        MemorySegment firstKey = MemorySegment.ofArray(first);
        byte[] firstValue = values.get(from);
        if (firstValue != null && t.kindFor(first.length, firstValue.length) != VALUE_INLINE) {
            return single(firstKey, firstValue, before, from);
        }
        long firstHead = KeyHeads.head(firstKey);
        int i = from;
        int added = 0;
        long[] bytes = {0};
        Epochs.Slot slot = epochs.enter();
        try {
            long pid = writer.lockLeaf(firstKey, firstHead);
            MemorySegment p = pool.page(pid);
            int usedBefore = Nodes.usedBytes(p);
            boolean deleted = false;
            try {
                for (; i < n; i++) {
                    MemorySegment key = i == from ? firstKey : MemorySegment.ofArray(keys.get(i));
                    long head = i == from ? firstHead : KeyHeads.head(key);
                    if (i > from && Nodes.beyondHighKey(p, key, head)) {
                        break;
                    }
                    byte[] v = values.get(i);
                    int r = v == null ? remove(p, key, head, before, i, bytes) : put(p, key, head, v, before, i, bytes);
                    if (r == STOP) {
                        break;
                    }
                    added += r == ADDED ? 1 : r == REMOVED ? -1 : 0;
                    deleted |= r == REMOVED;
                }
            } catch (RuntimeException e) {
                // Only a damaged leaf throws here, and what the run changed before it stays: damage
                // is reported, not undone (as a single put that meets it).
                pool.unlock(pid);
                throw e;
            }
            if (i == from) {
                pool.unlockUnchanged(pid);
            } else {
                int threshold = Merges.underfull(pageSize);
                int usedAfter = Nodes.usedBytes(p);
                boolean merge = deleted && usedAfter < threshold && (usedBefore >= threshold || count(p) == 0);
                pool.unlock(pid);
                t.keys.addAndGet(added);
                t.liveBytes.add(bytes[0]);
                if (merge) {
                    Merges.afterDelete(t, MemorySegment.ofArray(keys.get(i - 1)));
                }
            }
        } finally {
            epochs.exit(slot);
        }
        return i == from ? single(firstKey, firstValue, before, from) : i;
    }

    private static final int STOP = 0;
    private static final int ADDED = 1;
    private static final int REPLACED = 2;
    private static final int REMOVED = 3;
    private static final int ABSENT = 4;

    /**
     * The key's change in the latched leaf if it fits without a split or an overflow chain;
     * {@link #STOP} otherwise. Adds the change in key and value bytes to {@code bytes[0]}.
     */
    private int put(MemorySegment p, MemorySegment key, long head, byte[] value, byte[][] before, int at, long[] bytes) {
        int klen = (int) key.byteSize();
        if (t.kindFor(klen, value.length) != VALUE_INLINE) {
            return STOP;
        }
        int r = Nodes.search(t.ks, p, true, key, head);
        boolean existed = (r & 1) != 0;
        long oldLen = 0;
        byte[] old = null;
        if (existed) {
            int cell = slot(p, count(p), r >> 1);
            if (valueKind(p, cell) != VALUE_INLINE) {
                return STOP; // its chain or value pieces are freed on the single-key path
            }
            oldLen = valueLen(p, cell);
            old = before != null ? TreeWriter.inlineValue(p, cell) : null;
        }
        if (!Nodes.upsertLeaf(p, t.scratch(), r, key, head, VALUE_INLINE, value.length, MemorySegment.ofArray(value), 0)) {
            return STOP;
        }
        if (before != null) {
            before[at] = old;
        }
        bytes[0] += existed ? value.length - oldLen : klen + value.length;
        return existed ? REPLACED : ADDED;
    }

    private int remove(MemorySegment p, MemorySegment key, long head, byte[][] before, int at, long[] bytes) {
        int r = Nodes.search(t.ks, p, true, key, head);
        if ((r & 1) == 0) {
            if (before != null) {
                before[at] = null;
            }
            return ABSENT;
        }
        int cell = slot(p, count(p), r >> 1);
        if (valueKind(p, cell) != VALUE_INLINE) {
            return STOP;
        }
        if (before != null) {
            before[at] = TreeWriter.inlineValue(p, cell);
        }
        bytes[0] -= keyLen(p, cell) + valueLen(p, cell);
        Nodes.remove(p, true, r >> 1);
        return REMOVED;
    }

    private int single(MemorySegment key, byte[] value, byte[][] before, int at) throws IOException {
        if (value == null) {
            writer.delete(key, before, at);
        } else {
            writer.put(key, MemorySegment.ofArray(value), before, at);
        }
        return at + 1;
    }
}
