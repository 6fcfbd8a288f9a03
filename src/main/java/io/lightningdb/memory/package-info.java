/**
 * Off-heap memory for the engine, every byte accounted for: page-aligned segments from an
 * {@link io.lightningdb.memory.OffHeapArena} (mmap'ed slabs placed on a NUMA node when the machine
 * has several), page frames recycled by a {@link io.lightningdb.memory.PagePool}, the counters in
 * {@link io.lightningdb.memory.MemoryAccounting}, and {@link io.lightningdb.memory.ThreadPinning}
 * to keep threads next to their memory. Knobs are in {@link io.lightningdb.memory.MemoryConfig}.
 *
 * <p>Depends only on {@code io.lightningdb.nativeio}; nothing here knows about files or pages'
 * contents.
 */
package io.lightningdb.memory;
