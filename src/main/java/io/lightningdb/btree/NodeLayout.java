package io.lightningdb.btree;

import io.lightningdb.cache.PageFrames;
import io.lightningdb.pagefile.PageTypes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Byte layout of a B-link tree node page (docs/file-format.md). Little-endian.
 *
 * <pre>
 *  0  u32 CRC32C (buffer pool)       24 u64 leftmost child (inner nodes)
 *  4  u8  type LEAF / INNER          32 u32 cell area start: cells fill [cellStart, pageSize)
 *  5  u8  level (0 = leaf)           36 u16 high key offset (0 = no high key: +infinity)
 *  6  u16 count of entries           38 u16 high key length
 *  8  u64 LSN (reserved for the WAL) 40 u32 garbage bytes (dead cells, reclaimed by compaction)
 * 16  u64 right sibling (0 = none)   44 u32 reserved
 * 48  heads: count x u64 key heads ({@link KeyHeads}), then slots: count x u16 cell offsets
 * </pre>
 *
 * Leaf cell: u16 key length, u8 value kind (0 inline, 1 overflow, 2 separated), u32 value length,
 * key, then the value, the u64 first page of its overflow chain, or the u64 reference of its first
 * piece in the value pages ({@link ValuePages}). Inner cell: u16 key length, u64 child,
 * key. An inner node with keys k0..kn-1 routes keys below k0 to the leftmost child and keys in
 * [ki, ki+1) to child i. Every key of a node is below its high key.
 */
final class NodeLayout {
    static final int TYPE = PageTypes.TYPE_OFFSET;
    static final int LEVEL = 5;
    static final int COUNT = 6;
    static final int LSN = 8;
    static final int RIGHT = 16;
    static final int LEFTMOST = 24;
    static final int CELL_START = 32;
    static final int HIGH_KEY_OFF = 36;
    static final int HIGH_KEY_LEN = 38;
    static final int GARBAGE = 40;
    static final int HEADS = 48;
    static final int HEAD_BYTES = 8;
    static final int SLOT_BYTES = 2;
    /** Per-entry cost outside its cell: one head and one slot. */
    static final int ENTRY_OVERHEAD = HEAD_BYTES + SLOT_BYTES;

    static final int LEAF_CELL_HEADER = 7;
    static final int LEAF_KIND = 2;
    static final int LEAF_VALUE_LEN = 3;
    static final int INNER_CELL_HEADER = 10;
    static final int INNER_CHILD = 2;
    static final byte VALUE_INLINE = 0;
    static final byte VALUE_OVERFLOW = 1;
    static final byte VALUE_SEPARATE = 2;
    static final int VALUE_REF_BYTES = 8;

    static {
        if (TYPE != PageFrames.PAYLOAD_OFFSET) {
            throw new AssertionError("node type must follow the page checksum");
        }
    }

    private NodeLayout() {}

    /** The largest key a page of this size takes: a quarter of the page, so any split fits. */
    static int maxKeyLimit(int pageSize) {
        return pageSize / 4;
    }

    /**
     * The most bytes one entry (cell + head + slot) may take: (capacity − K) / 2, with capacity =
     * pageSize − {@link #HEADS} and K = {@link #maxKeyLimit}, so that a split always finds a point
     * where both halves, each with a high key of up to K bytes, fit in a page. Why: take the split
     * point m after the most entries whose bytes stay within capacity − K (the left half then takes
     * its high key, the separator, at most K). The entries before the next point exceed it, so
     * the left half holds more than capacity − K − E; the old node held at most capacity − its
     * high key, so the right half, with the new entry of E and the old high key, holds less than
     * K + 2E, which fits when E ≤ (capacity − K) / 2. 1,512 bytes with 4 KiB pages (an entry of a
     * 16-byte key and a value of up to 1,479 bytes stays inline). It was a quarter page plus 25
     * bytes before; an inline cell reads the same whatever its size, and the argument holds for
     * any file, so files written under either bound open and split under both.
     */
    static int maxEntryBytes(int pageSize) {
        return (pageSize - HEADS - maxKeyLimit(pageSize)) / 2;
    }

    /** Whether a value of this length is stored in the leaf (else in an overflow chain). */
    static boolean inline(int pageSize, int keyLen, long valueLen) {
        return ENTRY_OVERHEAD + LEAF_CELL_HEADER + keyLen + valueLen <= maxEntryBytes(pageSize);
    }

    // ---- header accessors ----

    static byte type(MemorySegment p) {
        return p.get(ValueLayout.JAVA_BYTE, TYPE);
    }

    static int level(MemorySegment p) {
        return p.get(ValueLayout.JAVA_BYTE, LEVEL) & 0xFF;
    }

    static int count(MemorySegment p) {
        return p.get(ValueLayout.JAVA_SHORT_UNALIGNED, COUNT) & 0xFFFF;
    }

    static void count(MemorySegment p, int n) {
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED, COUNT, (short) n);
    }

    static long right(MemorySegment p) {
        return p.get(ValueLayout.JAVA_LONG_UNALIGNED, RIGHT);
    }

    static void right(MemorySegment p, long pid) {
        p.set(ValueLayout.JAVA_LONG_UNALIGNED, RIGHT, pid);
    }

    static long leftmost(MemorySegment p) {
        return p.get(ValueLayout.JAVA_LONG_UNALIGNED, LEFTMOST);
    }

    static void leftmost(MemorySegment p, long pid) {
        p.set(ValueLayout.JAVA_LONG_UNALIGNED, LEFTMOST, pid);
    }

    static int cellStart(MemorySegment p) {
        return p.get(ValueLayout.JAVA_INT_UNALIGNED, CELL_START);
    }

    static void cellStart(MemorySegment p, int off) {
        p.set(ValueLayout.JAVA_INT_UNALIGNED, CELL_START, off);
    }

    static int highKeyOff(MemorySegment p) {
        return p.get(ValueLayout.JAVA_SHORT_UNALIGNED, HIGH_KEY_OFF) & 0xFFFF;
    }

    static int highKeyLen(MemorySegment p) {
        return p.get(ValueLayout.JAVA_SHORT_UNALIGNED, HIGH_KEY_LEN) & 0xFFFF;
    }

    static void highKey(MemorySegment p, int off, int len) {
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED, HIGH_KEY_OFF, (short) off);
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED, HIGH_KEY_LEN, (short) len);
    }

    static int garbage(MemorySegment p) {
        return p.get(ValueLayout.JAVA_INT_UNALIGNED, GARBAGE);
    }

    static void garbage(MemorySegment p, int bytes) {
        p.set(ValueLayout.JAVA_INT_UNALIGNED, GARBAGE, bytes);
    }

    static long slotsOffset(int count) {
        return HEADS + (long) count * HEAD_BYTES;
    }

    static int slot(MemorySegment p, int count, int i) {
        return p.get(ValueLayout.JAVA_SHORT_UNALIGNED, slotsOffset(count) + (long) i * SLOT_BYTES) & 0xFFFF;
    }

    static long head(MemorySegment p, int i) {
        return p.get(KeyHeads.LAYOUT, HEADS + (long) i * HEAD_BYTES);
    }

    // ---- cells ----

    static int keyLen(MemorySegment p, int cell) {
        return p.get(ValueLayout.JAVA_SHORT_UNALIGNED, cell) & 0xFFFF;
    }

    static int leafKeyOffset(int cell) {
        return cell + LEAF_CELL_HEADER;
    }

    static int innerKeyOffset(int cell) {
        return cell + INNER_CELL_HEADER;
    }

    static byte valueKind(MemorySegment p, int cell) {
        return p.get(ValueLayout.JAVA_BYTE, cell + LEAF_KIND);
    }

    static long valueLen(MemorySegment p, int cell) {
        return p.get(ValueLayout.JAVA_INT_UNALIGNED, cell + LEAF_VALUE_LEN) & 0xFFFFFFFFL;
    }

    static long child(MemorySegment p, int cell) {
        return p.get(ValueLayout.JAVA_LONG_UNALIGNED, cell + INNER_CHILD);
    }

    static void child(MemorySegment p, int cell, long pid) {
        p.set(ValueLayout.JAVA_LONG_UNALIGNED, cell + INNER_CHILD, pid);
    }

    /** Bytes a leaf cell takes in the cell area. */
    static int leafCellSize(int keyLen, byte kind, long valueLen) {
        return LEAF_CELL_HEADER + keyLen + (kind == VALUE_INLINE ? (int) valueLen : VALUE_REF_BYTES);
    }

    static int cellSize(MemorySegment p, boolean leaf, int cell) {
        int k = keyLen(p, cell);
        if (!leaf) {
            return INNER_CELL_HEADER + k;
        }
        return leafCellSize(k, valueKind(p, cell), valueLen(p, cell));
    }

    /** Free bytes between the slot array and the cell area. */
    static int free(MemorySegment p) {
        return cellStart(p) - (HEADS + count(p) * ENTRY_OVERHEAD);
    }
}
