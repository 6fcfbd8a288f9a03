package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The entries a cursor copied out of one leaf: keys and inline values packed into one reusable
 * heap buffer (one bulk copy per entry, no allocation per entry), overflow values read after the
 * leaf validated. {@link #key}/{@link #value} make owned copies on demand; the segment forms are
 * views of the buffer, valid until the buffer is refilled.
 */
final class LeafEntries {
    /** Holds nothing; what a released cursor points at. */
    static final LeafEntries EMPTY = new LeafEntries();

    private byte[] buf = new byte[8192];
    private MemorySegment bufSeg = MemorySegment.ofArray(buf);
    private int used;
    private int size;
    private int[] keyOff = new int[64];
    private int[] keyLen = new int[64];
    private int[] valueLen = new int[64];
    /** Per entry: first page of an overflow value (0 = inline), and the value once read. */
    private long[] overflowFirst = new long[64];
    private byte[][] overflow = new byte[64][];
    private boolean anyOverflow;

    void clear() {
        used = 0;
        size = 0;
        if (anyOverflow) {
            Arrays.fill(overflow, null);
            anyOverflow = false;
        }
    }

    int size() {
        return size;
    }

    /**
     * Copies the entry at {@code cell} of leaf {@code p} (read optimistically: lengths are clamped
     * to the page, and garbage throws an unchecked exception the caller turns into a retry).
     */
    void add(MemorySegment p, int cell, int pageSize) {
        int klen = Math.min(NodeLayout.keyLen(p, cell), pageSize);
        long vlen = valueLen(p, cell);
        int keyAt = leafKeyOffset(cell);
        boolean inline = valueKind(p, cell) == VALUE_INLINE;
        if (!inline && (vlen > BTree.MAX_VALUE_SIZE || vlen == 0)) {
            throw new IllegalStateException("overflow value length " + vlen);
        }
        int copy = klen + (inline ? (int) Math.min(vlen, pageSize) : 0);
        if (keyAt + copy > p.byteSize() || used + copy > pageSize) {
            // Cells of one leaf fit in one page; anything else is a page changing under us.
            throw new IllegalStateException("cell at " + cell + " runs past the page");
        }
        ensure(copy);
        // Key and inline value are adjacent in the cell: one copy.
        MemorySegment.copy(p, keyAt, bufSeg, used, copy);
        keyOff[size] = used;
        keyLen[size] = klen;
        valueLen[size] = inline ? copy - klen : -1;
        overflowFirst[size] = inline ? 0 : p.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) keyAt + klen);
        if (!inline) {
            anyOverflow = true;
            valueLen[size] = (int) vlen;
        }
        used += copy;
        size++;
    }

    private void ensure(int bytes) {
        if (used + bytes > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, used + bytes));
            bufSeg = MemorySegment.ofArray(buf);
        }
        if (size == keyOff.length) {
            int n = size * 2;
            keyOff = Arrays.copyOf(keyOff, n);
            keyLen = Arrays.copyOf(keyLen, n);
            valueLen = Arrays.copyOf(valueLen, n);
            overflowFirst = Arrays.copyOf(overflowFirst, n);
            overflow = Arrays.copyOf(overflow, n);
        }
    }

    /** Reads the overflow values of the entries copied (after the leaf validated, inside the epoch). */
    void readOverflowValues(BTree tree) throws IOException {
        if (!anyOverflow) {
            return;
        }
        for (int i = 0; i < size; i++) {
            if (overflowFirst[i] != 0) {
                byte[] v = new byte[valueLen[i]];
                OverflowChains.read(tree.file, overflowFirst[i], valueLen[i], MemorySegment.ofArray(v));
                overflow[i] = v;
            }
        }
    }

    byte[] key(int i) {
        return Arrays.copyOfRange(buf, keyOff[i], keyOff[i] + keyLen[i]);
    }

    MemorySegment keySegment(int i) {
        return bufSeg.asSlice(keyOff[i], keyLen[i]);
    }

    byte[] value(int i) {
        if (overflowFirst[i] != 0) {
            return overflow[i].clone();
        }
        int from = keyOff[i] + keyLen[i];
        return Arrays.copyOfRange(buf, from, from + valueLen[i]);
    }

    MemorySegment valueSegment(int i) {
        if (overflowFirst[i] != 0) {
            return MemorySegment.ofArray(overflow[i]);
        }
        return bufSeg.asSlice(keyOff[i] + keyLen[i], valueLen[i]);
    }
}
