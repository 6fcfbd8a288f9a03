package io.lightningdb.io;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * A reusable list of page reads and writes for {@link PageIO#execute}. Not thread-safe: one
 * batch belongs to one thread at a time. Reuse it ({@link #clear()}) to keep the hot path free of
 * allocation.
 *
 * <pre>{@code
 * PageBatch batch = new PageBatch(32);
 * for (int i = 0; i < 32; i++) batch.read(offsets[i], frames[i]);
 * io.execute(batch);   // up to the queue depth in flight at once on io_uring
 * }</pre>
 */
public final class PageBatch {
    private boolean[] writes;
    private long[] offsets;
    private MemorySegment[] segments;
    private int size;

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

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("request " + i + " of a batch of " + size);
        }
    }
}
