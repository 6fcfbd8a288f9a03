package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * What a cursor holds of one leaf: a private copy of the whole page, taken with one bulk copy
 * and validated once, and the cells of the entries in range. Copying the page costs one
 * sequential 4 KiB read the hardware prefetches; walking the shared page cell by cell cost a
 * cache miss per cell (cells lie in insertion order, not key order). Parsing the copy after
 * validation also means garbage can only be real damage. {@link #key}/{@link #value} make owned
 * copies on demand; the segment forms are views of the copy, valid until the next leaf.
 */
final class LeafEntries {
    /** Holds nothing; what a released cursor points at. */
    static final LeafEntries EMPTY = new LeafEntries();

    private byte[] snap = new byte[0];
    private MemorySegment snapSeg = MemorySegment.ofArray(snap);
    private int size;
    private int[] keyOff = new int[64];
    private int[] keyLen = new int[64];
    private int[] valueLen = new int[64];
    /**
     * Per entry: its value kind, the reference of a value held out of the leaf (overflow chain or
     * value pages; 0 = inline), and that value once read.
     */
    private byte[] kind = new byte[64];
    private long[] outOfLeafRef = new long[64];
    private byte[][] outOfLeafValue = new byte[64][];
    private boolean anyOutOfLeaf;

    void clear() {
        size = 0;
        if (anyOutOfLeaf) {
            Arrays.fill(outOfLeafValue, null);
            anyOutOfLeaf = false;
        }
    }

    int size() {
        return size;
    }

    /** Copies {@code page} (read optimistically: validate after) and returns the copy to parse. */
    MemorySegment snapshot(MemorySegment page) {
        clear();
        if (snap.length != page.byteSize()) {
            snap = new byte[(int) page.byteSize()];
            snapSeg = MemorySegment.ofArray(snap);
        }
        MemorySegment.copy(page, 0, snapSeg, 0, snap.length);
        return snapSeg;
    }

    /** Records the entry at {@code cell} of the validated copy; a cell that does not fit the page is damage. */
    void add(int cell) {
        MemorySegment p = snapSeg;
        int klen = NodeLayout.keyLen(p, cell);
        long vlen = valueLen(p, cell);
        int keyAt = leafKeyOffset(cell);
        byte k = valueKind(p, cell);
        boolean inline = k == VALUE_INLINE;
        if (k != VALUE_INLINE && k != VALUE_OVERFLOW && k != VALUE_SEPARATE) {
            throw new IllegalStateException("cell at " + cell + " has value kind " + k + ", none of 0, 1, 2");
        }
        long inPage = (long) keyAt + klen + (inline ? vlen : VALUE_REF_BYTES);
        if (inPage > snap.length || (!inline && (vlen > BTree.MAX_VALUE_SIZE || vlen == 0))) {
            throw new IllegalStateException("cell at " + cell + " (key " + klen + " bytes, value " + vlen
                    + " bytes) does not fit the page");
        }
        if (size == keyOff.length) {
            int n = size * 2;
            keyOff = Arrays.copyOf(keyOff, n);
            keyLen = Arrays.copyOf(keyLen, n);
            valueLen = Arrays.copyOf(valueLen, n);
            kind = Arrays.copyOf(kind, n);
            outOfLeafRef = Arrays.copyOf(outOfLeafRef, n);
            outOfLeafValue = Arrays.copyOf(outOfLeafValue, n);
        }
        keyOff[size] = keyAt;
        keyLen[size] = klen;
        valueLen[size] = (int) vlen;
        kind[size] = k;
        outOfLeafRef[size] = inline ? 0 : p.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) keyAt + klen);
        anyOutOfLeaf |= !inline;
        size++;
    }

    /**
     * Reads the values the entries hold out of the leaf (after the leaf validated, inside the
     * epoch). The value pages not in memory are loaded first in one batch at queue depth
     * ({@link BufferPool#prefetch}): the values of one leaf lie in pages written in the order the
     * values came, so a scan would otherwise wait for one random read per entry.
     */
    void readOutOfLeafValues(BTree tree) throws IOException {
        if (!anyOutOfLeaf) {
            return;
        }
        prefetchValuePages(tree.pool);
        for (int i = 0; i < size; i++) {
            if (outOfLeafRef[i] != 0) {
                byte[] v = new byte[valueLen[i]];
                if (kind[i] == VALUE_SEPARATE) {
                    tree.values.read(outOfLeafRef[i], valueLen[i], MemorySegment.ofArray(v));
                } else {
                    OverflowChains.read(tree.file, outOfLeafRef[i], valueLen[i], MemorySegment.ofArray(v));
                }
                outOfLeafValue[i] = v;
            }
        }
    }

    private long[] missing = new long[64];

    private void prefetchValuePages(BufferPool pool) throws IOException {
        int m = 0;
        long last = 0;
        for (int i = 0; i < size; i++) {
            if (kind[i] != VALUE_SEPARATE) {
                continue;
            }
            long pid = ValuePages.pid(outOfLeafRef[i]);
            if (pid != last && pid > 0 && pid < pool.maxPages() && !pool.isResident(pid)) {
                if (m == missing.length) {
                    missing = Arrays.copyOf(missing, m * 2);
                }
                missing[m++] = pid;
            }
            last = pid;
        }
        if (m > 1) {
            pool.prefetch(missing, m); // pages listed twice or loaded meanwhile are skipped
        }
    }

    byte[] key(int i) {
        return Arrays.copyOfRange(snap, keyOff[i], keyOff[i] + keyLen[i]);
    }

    MemorySegment keySegment(int i) {
        return snapSeg.asSlice(keyOff[i], keyLen[i]);
    }

    byte[] value(int i) {
        if (outOfLeafRef[i] != 0) {
            return outOfLeafValue[i].clone();
        }
        int from = keyOff[i] + keyLen[i];
        return Arrays.copyOfRange(snap, from, from + valueLen[i]);
    }

    MemorySegment valueSegment(int i) {
        if (outOfLeafRef[i] != 0) {
            return MemorySegment.ofArray(outOfLeafValue[i]);
        }
        return snapSeg.asSlice(keyOff[i] + keyLen[i], valueLen[i]);
    }
}
