package io.lightningdb.cache;

import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine's off-heap scratch memory outside the page frames, whole pages at a time, mapped and
 * page-aligned (fit for O_DIRECT writes): the copies a checkpoint keeps of pages writers change
 * under it ({@link CapturedPages}), the checkpoint's page-table buffer and its superblock page. With
 * {@code enableMemoryPools} a released buffer is kept, up to {@code memoryPoolSize} bytes of kept
 * buffers, and handed out again for the same size, so steady checkpoints map nothing; without, or
 * beyond the bound, it is unmapped at once. {@link #stats()} counts every byte.
 *
 * {@snippet class=io.lightningdb.cache.CacheExamples region="scratch"}
 *
 * <p>Thread-safe (one lock: a scratch buffer is taken per page a writer changes during a
 * checkpoint, never per read).
 */
public final class ScratchPages implements AutoCloseable {
    /**
     * @param enabled keep released buffers for reuse ({@code enableMemoryPools})
     * @param poolBytes the most bytes of released buffers kept ({@code memoryPoolSize})
     */
    public record Config(boolean enabled, long poolBytes) {
        public static final Config DEFAULTS = new Config(true, 64L << 20);

        public Config {
            if (poolBytes < 0) {
                throw new IllegalArgumentException("memoryPoolSize must be >= 0, got " + poolBytes);
            }
        }
    }

    /**
     * What the scratch memory holds and has done since open.
     *
     * @param inUseBytes bytes handed out and not released
     * @param pooledBytes bytes released and kept for reuse (at most the pool size)
     * @param mapped buffers mapped from the kernel
     * @param reused buffers handed out again from the pool
     * @param unmapped buffers given back to the kernel
     */
    public record Stats(long inUseBytes, long pooledBytes, long mapped, long reused, long unmapped) {}

    private final int pageSize;
    private final Config config;
    private final Map<Long, ArrayDeque<MemorySegment>> free = new HashMap<>();
    private long inUse;
    private long pooled;
    private long mapped;
    private long reused;
    private long unmapped;
    private boolean closed;

    public ScratchPages(int pageSize, Config config) {
        this.pageSize = pageSize;
        this.config = config;
    }

    /** A buffer of {@code pages} pages, page-aligned; contents unspecified (zero only when freshly mapped). */
    public MemorySegment acquire(int pages) {
        long bytes = (long) pages * pageSize;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("scratch memory is closed");
            }
            ArrayDeque<MemorySegment> kept = free.get(bytes);
            MemorySegment b = kept == null ? null : kept.pollFirst();
            if (b != null) {
                pooled -= bytes;
                inUse += bytes;
                reused++;
                return b;
            }
            inUse += bytes;
            mapped++;
        }
        try {
            return Libc.mmap(bytes, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, null);
        } catch (IOException e) {
            synchronized (this) {
                inUse -= bytes;
                mapped--;
            }
            throw new UncheckedIOException("cannot map " + bytes + " bytes of scratch memory: " + e.getMessage(), e);
        }
    }

    /** Gives a buffer of {@link #acquire} back: kept for reuse within the pool's bound, else unmapped. */
    public void release(MemorySegment buffer) {
        long bytes = buffer.byteSize();
        synchronized (this) {
            inUse -= bytes;
            if (!closed && config.enabled() && pooled + bytes <= config.poolBytes()) {
                free.computeIfAbsent(bytes, k -> new ArrayDeque<>()).addFirst(buffer);
                pooled += bytes;
                return;
            }
            unmapped++;
        }
        unmap(buffer);
    }

    public synchronized Stats stats() {
        return new Stats(inUse, pooled, mapped, reused, unmapped);
    }

    /** Bytes of scratch memory held: in use plus kept. */
    public synchronized long heldBytes() {
        return inUse + pooled;
    }

    /** Unmaps the kept buffers; buffers still in use are unmapped when released. */
    @Override
    public void close() {
        ArrayDeque<MemorySegment> all = new ArrayDeque<>();
        synchronized (this) {
            closed = true;
            free.values().forEach(all::addAll);
            free.clear();
            unmapped += all.size();
            pooled = 0;
        }
        all.forEach(ScratchPages::unmap);
    }

    private static void unmap(MemorySegment buffer) {
        try {
            Libc.munmap(buffer);
        } catch (IOException e) {
            // munmap of a mapping we made fails only on a bad address: a bug, not a condition.
            throw new IllegalStateException("cannot unmap scratch memory at 0x" + Long.toHexString(buffer.address()), e);
        }
    }
}
