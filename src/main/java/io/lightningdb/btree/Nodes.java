package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Operations on one node page. Searches are safe on a page a writer is changing (every read is
 * bounds-checked by the page segment and counts are clamped; the caller validates and retries).
 * Mutations need the page's exclusive latch.
 */
final class Nodes {
    private Nodes() {}

    /** The most entries a page could hold, to clamp counts read optimistically. */
    static int maxEntries(MemorySegment p) {
        return (int) ((p.byteSize() - HEADS) / ENTRY_OVERHEAD);
    }

    static int clampedCount(MemorySegment p) {
        return Math.min(count(p), maxEntries(p));
    }

    /**
     * Compares {@code probe} with the key stored at {@code off, len} of {@code p}: negative if the
     * probe sorts first. Unsigned lexicographic, shorter first on a common prefix.
     */
    static int compare(MemorySegment probe, MemorySegment p, int off, int len) {
        long plen = probe.byteSize();
        long m = MemorySegment.mismatch(probe, 0, plen, p, off, (long) off + len);
        if (m < 0) {
            return 0;
        }
        if (m == plen) {
            return -1;
        }
        if (m == len) {
            return 1;
        }
        return Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, m)) - Byte.toUnsignedInt(p.get(ValueLayout.JAVA_BYTE, off + m));
    }

    static int keyOffset(boolean leaf, int cell) {
        return leaf ? leafKeyOffset(cell) : innerKeyOffset(cell);
    }

    /**
     * Where {@code probe} is or would go: {@code index << 1 | 1} if entry {@code index} has the
     * probe's key, else {@code index << 1} with index the first entry above it.
     */
    static int search(KeySearch ks, MemorySegment p, boolean leaf, MemorySegment probe, long probeHead) {
        int n = clampedCount(p);
        int lo = ks.lowerBound(p, HEADS, n, probeHead);
        // Heads are mostly distinct: settle the end of the equal run by looking at one or two
        // heads, and search again only when three or more heads equal the probe's.
        int hi;
        if (lo >= n || head(p, lo) != probeHead) {
            hi = lo;
        } else if (lo + 1 >= n || head(p, lo + 1) != probeHead) {
            hi = lo + 1;
        } else {
            hi = ks.upperBound(p, HEADS, n, probeHead);
        }
        // Entries [lo, hi) share the probe's head: settle by full key (rare for keys of <= 8 bytes).
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int cell = slot(p, n, mid);
            int c = compare(probe, p, keyOffset(leaf, cell), keyLen(p, cell));
            if (c > 0) {
                lo = mid + 1;
            } else if (c < 0) {
                hi = mid;
            } else {
                return mid << 1 | 1;
            }
        }
        return lo << 1;
    }

    /** Whether {@code probe} is at or past the node's high key (so it belongs to a right sibling). */
    static boolean beyondHighKey(MemorySegment p, MemorySegment probe) {
        return beyondHighKey(p, probe, KeyHeads.head(probe));
    }

    /** Like {@link #beyondHighKey(MemorySegment, MemorySegment)}; unequal heads settle it without a key compare. */
    static boolean beyondHighKey(MemorySegment p, MemorySegment probe, long probeHead) {
        int off = highKeyOff(p);
        if (off == 0) {
            return false;
        }
        int len = highKeyLen(p);
        long high = KeyHeads.head(p, off, Math.min(len, KeyHeads.BYTES));
        if (high != probeHead) {
            return probeHead > high;
        }
        return compare(probe, p, off, len) >= 0;
    }

    /** The child of an inner node that covers {@code probe}. */
    static long route(KeySearch ks, MemorySegment p, MemorySegment probe, long probeHead) {
        int r = search(ks, p, false, probe, probeHead);
        int idx = (r >> 1) + (r & 1); // entries with key <= probe
        return idx == 0 ? leftmost(p) : child(p, slot(p, clampedCount(p), idx - 1));
    }

    /** Whether a page type is a live tree node (else it was unlinked by a merge, or is not a node). */
    static boolean isNode(byte type) {
        return type == io.lightningdb.pagefile.PageTypes.LEAF || type == io.lightningdb.pagefile.PageTypes.INNER;
    }

    /** Bytes the node really uses: header, heads and slots, live cells and the high key. */
    static int usedBytes(MemorySegment p) {
        return HEADS + count(p) * ENTRY_OVERHEAD + ((int) p.byteSize() - cellStart(p) - garbage(p));
    }

    // ---- mutation (exclusive latch held) ----

    static void init(MemorySegment p, byte type, int level) {
        p.asSlice(TYPE, HEADS - TYPE).fill((byte) 0);
        p.set(ValueLayout.JAVA_BYTE, TYPE, type);
        p.set(ValueLayout.JAVA_BYTE, LEVEL, (byte) level);
        cellStart(p, (int) p.byteSize());
    }

    /**
     * Makes room for an entry of {@code cellSize} at index {@code idx} with the given head: shifts
     * heads and slots, reserves the cell. Returns the cell offset, or -1 if it does not fit even
     * after compaction (the caller splits).
     */
    static int insertSpace(MemorySegment p, MemorySegment scratch, int idx, long head, int cellSize) {
        int need = cellSize + ENTRY_OVERHEAD;
        if (free(p) < need) {
            if (free(p) + garbage(p) < need) {
                return -1;
            }
            compact(p, scratch);
        }
        int n = count(p);
        int cell = cellStart(p) - cellSize;
        cellStart(p, cell);
        long oldSlots = slotsOffset(n);
        long newSlots = slotsOffset(n + 1);
        // Slots first (they move right by 8, the tail by 10), then heads into the room they left.
        MemorySegment.copy(p, oldSlots + (long) idx * SLOT_BYTES, p, newSlots + (long) (idx + 1) * SLOT_BYTES,
                (long) (n - idx) * SLOT_BYTES);
        MemorySegment.copy(p, oldSlots, p, newSlots, (long) idx * SLOT_BYTES);
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED, newSlots + (long) idx * SLOT_BYTES, (short) cell);
        MemorySegment.copy(p, HEADS + (long) idx * HEAD_BYTES, p, HEADS + (long) (idx + 1) * HEAD_BYTES,
                (long) (n - idx) * HEAD_BYTES);
        p.set(KeyHeads.LAYOUT, HEADS + (long) idx * HEAD_BYTES, head);
        count(p, n + 1);
        return cell;
    }

    static boolean insertLeaf(MemorySegment p, MemorySegment scratch, int idx, MemorySegment key, long head,
            byte kind, long valueLen, MemorySegment inlineValue, long valueRef) {
        int size = leafCellSize((int) key.byteSize(), kind, valueLen);
        int cell = insertSpace(p, scratch, idx, head, size);
        if (cell < 0) {
            return false;
        }
        writeLeafCell(p, cell, key, kind, valueLen, inlineValue, valueRef);
        return true;
    }

    /**
     * The one insert-or-replace of a leaf entry, used by single puts ({@link TreeWriter}) and
     * batch runs ({@link LeafRuns}): in the latched leaf {@code p}, at the place {@code r} (its
     * {@link #search} result for {@code key}) names. An inline value of the old inline value's
     * size is overwritten in place; otherwise the old entry, if {@code r} found one, is removed and
     * the new one inserted. Returns false, changing nothing, when the entry does not fit: the
     * caller splits the leaf, or ends its run. The caller takes what it needs of the old entry
     * (its value, its overflow chain or value pieces) before.
     */
    static boolean upsertLeaf(MemorySegment p, MemorySegment scratch, int r, MemorySegment key, long head,
            byte kind, long valueLen, MemorySegment inlineValue, long valueRef) {
        int idx = r >> 1;
        boolean existed = (r & 1) != 0;
        int room = free(p) + garbage(p);
        if (existed) {
            int cell = slot(p, count(p), idx);
            if (kind == VALUE_INLINE && valueKind(p, cell) == VALUE_INLINE && valueLen(p, cell) == valueLen) {
                // Same size: overwrite in place, no shifting.
                MemorySegment.copy(inlineValue, 0, p, leafKeyOffset(cell) + keyLen(p, cell), valueLen);
                return true;
            }
            room += ENTRY_OVERHEAD + cellSize(p, true, cell);
        }
        int need = ENTRY_OVERHEAD + leafCellSize((int) key.byteSize(), kind, valueLen);
        if (need > room) {
            return false;
        }
        if (existed) {
            remove(p, true, idx);
        }
        if (!insertLeaf(p, scratch, idx, key, head, kind, valueLen, inlineValue, valueRef)) {
            throw new IllegalStateException("an entry of " + need + " bytes did not fit in the " + room + " its leaf had");
        }
        return true;
    }

    static void writeLeafCell(MemorySegment p, int cell, MemorySegment key, byte kind, long valueLen,
            MemorySegment inlineValue, long valueRef) {
        int klen = (int) key.byteSize();
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED, cell, (short) klen);
        p.set(ValueLayout.JAVA_BYTE, cell + LEAF_KIND, kind);
        p.set(ValueLayout.JAVA_INT_UNALIGNED, cell + LEAF_VALUE_LEN, (int) valueLen);
        MemorySegment.copy(key, 0, p, leafKeyOffset(cell), klen);
        int v = leafKeyOffset(cell) + klen;
        if (kind == VALUE_INLINE) {
            MemorySegment.copy(inlineValue, 0, p, v, valueLen);
        } else {
            p.set(ValueLayout.JAVA_LONG_UNALIGNED, v, valueRef);
        }
    }

    static boolean insertInner(MemorySegment p, MemorySegment scratch, int idx, MemorySegment key, long head, long child) {
        int klen = (int) key.byteSize();
        int cell = insertSpace(p, scratch, idx, head, INNER_CELL_HEADER + klen);
        if (cell < 0) {
            return false;
        }
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED, cell, (short) klen);
        NodeLayout.child(p, cell, child);
        MemorySegment.copy(key, 0, p, innerKeyOffset(cell), klen);
        return true;
    }

    /** Removes entry {@code idx}; its cell becomes garbage. */
    static void remove(MemorySegment p, boolean leaf, int idx) {
        int n = count(p);
        int cell = slot(p, n, idx);
        garbage(p, garbage(p) + cellSize(p, leaf, cell));
        long oldSlots = slotsOffset(n);
        long newSlots = slotsOffset(n - 1);
        MemorySegment.copy(p, HEADS + (long) (idx + 1) * HEAD_BYTES, p, HEADS + (long) idx * HEAD_BYTES,
                (long) (n - idx - 1) * HEAD_BYTES);
        MemorySegment.copy(p, oldSlots, p, newSlots, (long) idx * SLOT_BYTES);
        MemorySegment.copy(p, oldSlots + (long) (idx + 1) * SLOT_BYTES, p, newSlots + (long) idx * SLOT_BYTES,
                (long) (n - idx - 1) * SLOT_BYTES);
        count(p, n - 1);
    }

    /** Sets the high key (exclusive upper bound of the node's keys); null = +infinity. */
    static boolean setHighKey(MemorySegment p, MemorySegment scratch, MemorySegment key) {
        int old = highKeyOff(p);
        if (old != 0) {
            garbage(p, garbage(p) + highKeyLen(p));
            highKey(p, 0, 0);
        }
        if (key == null) {
            return true;
        }
        int len = (int) key.byteSize();
        if (free(p) < len) {
            if (free(p) + garbage(p) < len) {
                return false;
            }
            compact(p, scratch);
        }
        int off = cellStart(p) - len;
        cellStart(p, off);
        MemorySegment.copy(key, 0, p, off, len);
        highKey(p, off, len);
        return true;
    }

    /** Rewrites the cell area without garbage (via {@code scratch}, a page-sized buffer). */
    static void compact(MemorySegment p, MemorySegment scratch) {
        boolean leaf = type(p) == io.lightningdb.pagefile.PageTypes.LEAF;
        int n = count(p);
        int size = (int) p.byteSize();
        MemorySegment.copy(p, 0, scratch, 0, size);
        int top = size;
        int hk = highKeyOff(scratch);
        if (hk != 0) {
            int len = highKeyLen(scratch);
            top -= len;
            MemorySegment.copy(scratch, hk, p, top, len);
            highKey(p, top, len);
        }
        long slots = slotsOffset(n);
        for (int i = 0; i < n; i++) {
            int cell = slot(scratch, n, i);
            int cs = cellSize(scratch, leaf, cell);
            top -= cs;
            MemorySegment.copy(scratch, cell, p, top, cs);
            p.set(ValueLayout.JAVA_SHORT_UNALIGNED, slots + (long) i * SLOT_BYTES, (short) top);
        }
        cellStart(p, top);
        garbage(p, 0);
    }

    /** The key of entry {@code i} as a slice of the page. */
    static MemorySegment keyAt(MemorySegment p, boolean leaf, int i) {
        int cell = slot(p, clampedCount(p), i);
        return p.asSlice(keyOffset(leaf, cell), keyLen(p, cell));
    }

    /** The high key as a slice of the page, or null for +infinity. */
    static MemorySegment highKeySlice(MemorySegment p) {
        int off = highKeyOff(p);
        return off == 0 ? null : p.asSlice(off, highKeyLen(p));
    }

    /** Appends a copy of cell {@code cell} of {@code from} as the last entry of {@code to}; false if it does not fit. */
    static boolean appendCell(MemorySegment from, MemorySegment to, boolean leaf, int cell) {
        int size = cellSize(from, leaf, cell);
        int keyOff = keyOffset(leaf, cell);
        long head = KeyHeads.head(from, keyOff, keyLen(from, cell));
        int dst = insertSpace(to, null, count(to), head, size);
        if (dst < 0) {
            return false;
        }
        MemorySegment.copy(from, cell, to, dst, size);
        return true;
    }
}
