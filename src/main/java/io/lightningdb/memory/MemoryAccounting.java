package io.lightningdb.memory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every off-heap byte the engine holds, in three layers:
 * <ul>
 *   <li><b>reserved</b>: mapped from the operating system (slabs and large mappings);
 *   <li><b>allocated</b>: handed out by an {@link OffHeapArena}, a subset of reserved;
 *   <li><b>pooled</b>: allocated frames sitting idle in a {@link PagePool}'s free list.
 * </ul>
 * {@link #inUseBytes()} (allocated minus pooled) is what the engine actually uses. One instance is
 * shared by every arena and pool of a database so {@code stats()} reports the whole engine.
 *
 * <pre>{@code
 * MemoryAccounting accounting = new MemoryAccounting();
 * try (OffHeapArena arena = OffHeapArena.builder().accounting(accounting).build()) {
 *     MemorySegment page = arena.allocate(4096);
 *     accounting.allocatedBytes();   // 4096
 *     accounting.reservedBytes();    // one slab, e.g. 2 MiB
 * }
 * accounting.reservedBytes();        // 0
 * }</pre>
 *
 * <p>Thread-safe. Counters touched per page frame are {@link LongAdder}s so threads releasing
 * frames do not contend on one cache line; per-mapping counters are rare enough for AtomicLong.
 * Reads are not a consistent snapshot across counters while other threads allocate.
 */
public final class MemoryAccounting {
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong peakReserved = new AtomicLong();
    private final AtomicLong allocated = new AtomicLong();
    private final LongAdder pooled = new LongAdder();
    private final LongAdder allocations = new LongAdder();
    private final LongAdder frees = new LongAdder();
    private final LongAdder mappings = new LongAdder();
    private final LongAdder unmappings = new LongAdder();

    /** Counters at one moment; see {@link MemoryAccounting} for what each layer means. */
    public record Snapshot(long reservedBytes, long peakReservedBytes, long allocatedBytes, long pooledBytes,
            long allocations, long frees, long mappings, long unmappings) {
        /** Allocated bytes not idle in a pool. */
        public long inUseBytes() {
            return allocatedBytes - pooledBytes;
        }
    }

    void onMap(long bytes) {
        long now = reserved.addAndGet(bytes);
        peakReserved.accumulateAndGet(now, Math::max);
        mappings.increment();
    }

    void onUnmap(long bytes) {
        reserved.addAndGet(-bytes);
        unmappings.increment();
    }

    void onAllocate(long bytes) {
        allocated.addAndGet(bytes);
        allocations.increment();
    }

    void onFree(long bytes) {
        allocated.addAndGet(-bytes);
        frees.increment();
    }

    void onPooled(long deltaBytes) {
        pooled.add(deltaBytes);
    }

    /** Bytes mapped from the operating system and not yet unmapped. */
    public long reservedBytes() {
        return reserved.get();
    }

    /** The most bytes ever reserved at once. */
    public long peakReservedBytes() {
        return peakReserved.get();
    }

    /** Bytes handed out by arenas and not freed (page frames idle in pools included). */
    public long allocatedBytes() {
        return allocated.get();
    }

    /** Bytes of free page frames kept by pools for reuse. */
    public long pooledBytes() {
        return pooled.sum();
    }

    /** Bytes the engine uses: allocated minus pooled. */
    public long inUseBytes() {
        return allocatedBytes() - pooledBytes();
    }

    /** How many times an arena handed out memory. */
    public long allocations() {
        return allocations.sum();
    }

    /** How many times memory was given back to an arena. */
    public long frees() {
        return frees.sum();
    }

    /** How many mappings were taken from the operating system (mmap calls). */
    public long mappings() {
        return mappings.sum();
    }

    /** How many mappings were returned to the operating system (munmap calls). */
    public long unmappings() {
        return unmappings.sum();
    }

    public Snapshot snapshot() {
        return new Snapshot(reservedBytes(), peakReservedBytes(), allocatedBytes(), pooledBytes(),
                allocations(), frees(), mappings(), unmappings());
    }

    @Override
    public String toString() {
        return "MemoryAccounting[reserved=" + reservedBytes() + ", allocated=" + allocatedBytes()
                + ", pooled=" + pooledBytes() + ", inUse=" + inUseBytes() + "]";
    }
}
