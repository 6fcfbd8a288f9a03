package io.lightningdb.io;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A reusable list of page reads and writes for {@link PageIO#execute}. Not thread-safe: one
 * batch belongs to one thread at a time. Reuse it ({@link #clear()}) to keep the hot path free of
 * allocation.
 *
 * {@snippet class=io.lightningdb.io.IoExamples region="batch"}
 */
public final class PageBatch {
    private boolean[] writes;
    private long[] offsets;
    private MemorySegment[] segments;
    private int size;
    /** Scratch for {@link #findOverlap()}: request indices in offset order, reused across calls. */
    private int[] order = new int[0];

    public PageBatch(int initialCapacity) {
        int cap = Math.max(1, initialCapacity);
        writes = new boolean[cap];
        offsets = new long[cap];
        segments = new MemorySegment[cap];
    }

    /** Adds a read of {@code dst.byteSize()} bytes at {@code offset}. */
    public PageBatch read(long offset, MemorySegment dst) {
        return add(false, offset, dst);
    }

    /** Adds a write of all of {@code src} at {@code offset}. */
    public PageBatch write(long offset, MemorySegment src) {
        return add(true, offset, src);
    }

    private PageBatch add(boolean write, long offset, MemorySegment seg) {
        if (seg == null) {
            throw new NullPointerException(write ? "src" : "dst");
        }
        if (size == offsets.length) {
            int cap = size * 2;
            writes = Arrays.copyOf(writes, cap);
            offsets = Arrays.copyOf(offsets, cap);
            segments = Arrays.copyOf(segments, cap);
        }
        writes[size] = write;
        offsets[size] = offset;
        segments[size] = seg;
        size++;
        return this;
    }

    /** Number of requests. */
    public int size() {
        return size;
    }

    /** Removes every request (and drops the references to their buffers). */
    public void clear() {
        Arrays.fill(segments, 0, size, null);
        size = 0;
    }

    public boolean isWrite(int i) {
        check(i);
        return writes[i];
    }

    public long offset(int i) {
        check(i);
        return offsets[i];
    }

    public MemorySegment segment(int i) {
        check(i);
        return segments[i];
    }

    /**
     * Finds two requests that touch a common byte where at least one is a write: such a batch has no
     * defined outcome, because backends run a batch's requests concurrently and in any order.
     * Returns {@code -1} when there is none, else {@code (long) i << 32 | j} for requests i and j.
     * Allocation-free after the first call at a given size.
     */
    long findOverlap() {
        if (order.length < size) {
            order = new int[Math.max(size, order.length * 2)];
        }
        boolean sorted = true;
        for (int i = 0; i < size; i++) {
            order[i] = i;
            if (i > 0 && offsets[i] < offsets[i - 1]) {
                sorted = false;
            }
        }
        if (!sorted) {
            sortByOffset();
        }
        // Sweep in offset order: a request overlaps an earlier one iff it starts before the largest
        // end seen so far; track that for all requests and for writes only.
        long maxEndAll = Long.MIN_VALUE;
        long maxEndWrite = Long.MIN_VALUE;
        int ownerAll = -1;
        int ownerWrite = -1;
        for (int k = 0; k < size; k++) {
            int i = order[k];
            long start = offsets[i];
            long end = start + segments[i].byteSize();
            if (start < maxEndWrite) {
                return (long) ownerWrite << 32 | i;
            }
            if (writes[i] && start < maxEndAll) {
                return (long) ownerAll << 32 | i;
            }
            if (end > maxEndAll) {
                maxEndAll = end;
                ownerAll = i;
            }
            if (writes[i] && end > maxEndWrite) {
                maxEndWrite = end;
                ownerWrite = i;
            }
        }
        return -1;
    }

    /** Shell sort of {@code order[0..size)} by offset: in place, no allocation, fine for batch sizes. */
    private void sortByOffset() {
        for (int gap = size / 2; gap > 0; gap /= 2) {
            for (int i = gap; i < size; i++) {
                int v = order[i];
                long key = offsets[v];
                int j = i;
                while (j >= gap && offsets[order[j - gap]] > key) {
                    order[j] = order[j - gap];
                    j -= gap;
                }
                order[j] = v;
            }
        }
    }

    /** "write at offset 8192, 4096 bytes" for messages. */
    String describe(int i) {
        return (writes[i] ? "write" : "read") + " at offset " + offsets[i] + ", " + segments[i].byteSize() + " bytes";
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("request " + i + " of a batch of " + size);
        }
    }
}
