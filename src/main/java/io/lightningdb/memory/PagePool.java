package io.lightningdb.memory;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Page frames of one fixed size, recycled (the production guide's {@code enable_memory_pools} and
 * {@code memory_pool_size}). With pools enabled a released frame goes to a free list, up to
 * {@code memoryPoolSize} bytes of frames, and is handed out again before the arena is asked for
 * more; beyond that bound, or with pools disabled, frames go straight back to the arena.
 *
 * <pre>{@code
 * try (OffHeapArena arena = OffHeapArena.builder().build();
 *      PagePool pool = new PagePool(arena, 4096, MemoryConfig.defaults())) {
 *     MemorySegment frame = pool.acquire();      // 4096 bytes, 4096-aligned
 *     Libc.preadFully(fd, frame, pageNo * 4096, path);
 *     pool.release(frame);                       // next acquire() returns this frame again
 * }
 * }</pre>
 *
 * <p>Thread-safe and lock-free: the free list is a lock-free stack (most recently released first,
 * so the frame handed out is likely still in cache), the bound a CAS on a counter. Each frame held
 * by a caller is tracked so releasing one twice is reported rather than handing it to two holders.
 */
public final class PagePool implements AutoCloseable {
    public static final long MAX_FRAME_SIZE = 1L << 30;

    private final OffHeapArena arena;
    private final MemoryAccounting accounting;
    private final long frameSize;
    private final boolean enabled;
    private final long capacityBytes;
    private final ConcurrentLinkedDeque<MemorySegment> free = new ConcurrentLinkedDeque<>();
    /** Bytes of frames in (or being pushed onto) the free list; never above capacityBytes. */
    private final AtomicLong pooledBytes = new AtomicLong();
    /** Frames handed out and not yet released, by address. */
    private final ConcurrentHashMap<Long, MemorySegment> held = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private volatile boolean closed;

    /**
     * A pool of {@code frameSize}-byte frames from {@code arena}, configured by
     * {@link MemoryConfig#enableMemoryPools()} and {@link MemoryConfig#memoryPoolSize()}.
     */
    public PagePool(OffHeapArena arena, long frameSize, MemoryConfig config) {
        this.arena = Objects.requireNonNull(arena, "arena");
        Objects.requireNonNull(config, "config");
        if (frameSize < OffHeapArena.ALIGNMENT || frameSize > MAX_FRAME_SIZE || frameSize % OffHeapArena.ALIGNMENT != 0) {
            throw new IllegalArgumentException("frameSize must be a multiple of " + OffHeapArena.ALIGNMENT + " in ["
                    + OffHeapArena.ALIGNMENT + ", " + MAX_FRAME_SIZE + "], got " + frameSize);
        }
        this.accounting = arena.accounting();
        this.frameSize = frameSize;
        this.enabled = config.enableMemoryPools();
        this.capacityBytes = config.memoryPoolSize();
        arena.register(this);
    }

    /** A frame of {@link #frameSize()} bytes: a recycled one when there is one, else from the arena. */
    public MemorySegment acquire() {
        ensureOpen();
        MemorySegment frame = enabled ? free.pollFirst() : null;
        if (frame != null) {
            pooledBytes.addAndGet(-frameSize);
            accounting.onPooled(-frameSize);
            hits.increment();
        } else {
            frame = arena.allocate(frameSize);
            misses.increment();
        }
        held.put(frame.address(), frame);
        return frame;
    }

    /**
     * Gives a frame back. After {@link #close()} frames still go back to the arena, so callers
     * finishing late do not leak them.
     *
     * @throws IllegalArgumentException if the frame is not held: released twice, or not from this pool
     */
    public void release(MemorySegment frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.byteSize() != frameSize) {
            throw new IllegalArgumentException("release(0x" + Long.toHexString(frame.address()) + "): segment is "
                    + frame.byteSize() + " bytes, frames of this pool are " + frameSize);
        }
        // remove() is the single point where two releases of one frame race: only one wins.
        MemorySegment own = held.remove(frame.address());
        if (own == null) {
            throw new IllegalArgumentException("release(0x" + Long.toHexString(frame.address())
                    + "): frame is not held: released twice, or not acquired from this pool");
        }
        if (enabled && !closed && reserve()) {
            free.offerFirst(own);
            accounting.onPooled(frameSize);
            if (closed) {
                drain(); // close() ran between the check and the push: do not strand the frame
            }
        } else {
            arena.free(own);
        }
    }

    /** Claims room for one frame in the free list, or returns false when it is full. */
    private boolean reserve() {
        while (true) {
            long now = pooledBytes.get();
            if (now + frameSize > capacityBytes) {
                return false;
            }
            if (pooledBytes.compareAndSet(now, now + frameSize)) {
                return true;
            }
        }
    }

    /** Returns the free frames to the arena and refuses further {@link #acquire()}. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!arena.isClosed()) {
            drain();
            arena.unregister(this);
        }
    }

    private void drain() {
        MemorySegment frame;
        while ((frame = free.pollFirst()) != null) {
            pooledBytes.addAndGet(-frameSize);
            accounting.onPooled(-frameSize);
            if (!arena.isClosed()) { // a closed arena has unmapped the frame already
                arena.free(frame);
            }
        }
    }

    /** The arena is closing and unmaps everything: just forget the free list. */
    void arenaClosed() {
        closed = true;
        drain();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("PagePool(" + frameSize + "-byte frames of " + arena.name() + ") is closed");
        }
        arena.ensureOpen();
    }

    public long frameSize() {
        return frameSize;
    }

    /** Whether released frames are kept for reuse ({@code enableMemoryPools}). */
    public boolean poolingEnabled() {
        return enabled;
    }

    /** The most bytes of free frames kept ({@code memoryPoolSize}). */
    public long capacityBytes() {
        return capacityBytes;
    }

    /** Bytes of free frames kept for reuse now. */
    public long pooledBytes() {
        return pooledBytes.get();
    }

    /** Frames handed out and not yet released. */
    public int heldFrames() {
        return held.size();
    }

    /** Acquisitions served from the free list. */
    public long hits() {
        return hits.sum();
    }

    /** Acquisitions that had to allocate from the arena. */
    public long misses() {
        return misses.sum();
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "PagePool[" + frameSize + "-byte frames of " + arena.name() + ", pooling "
                + (enabled ? "on, " + pooledBytes() + "/" + capacityBytes + " bytes free" : "off")
                + ", " + heldFrames() + " held" + (closed ? ", closed" : "") + "]";
    }
}
