/**
 * The buffer pool: which pages of the page file are in memory, their latches, and eviction.
 *
 * <p>Design (vmcache, Leis et al., SIGMOD 2023): the whole page file has one reserved virtual
 * mapping, so page {@code pid} always lives at {@code base + pid * pageSize}; a page-state array
 * holds one 64-bit word per page that is at once its residency state and its optimistic latch
 * (version). Evicting a page gives its memory back to the OS with {@code madvise}: lazily
 * ({@code MADV_FREE}, the default: the OS takes it when it needs memory, and a miss before that is
 * served from it, checksum verified, see {@code LazyRelease}) or at once ({@code MADV_DONTNEED});
 * either way the address stays mapped and reads as the old page or as zeros. An optimistic reader
 * therefore never touches unmapped memory, whatever it races with: the worst it sees is garbage,
 * which its version check rejects.
 * See docs/architecture.md for why this design over LeanStore's swizzled pointers.
 *
 * <p>Replacement ({@link io.lightningdb.cache.CacheConfig}, one {@code ReplacementPolicy} per
 * pool). Readers take no lock and, on a hit, write shared memory only rarely, so every policy
 * keeps its order off the hit path:
 * <ul>
 *   <li><b>CLOCK</b> (default): a ring of resident pages in admission order; the reference bit is
 *       the state word's MARKED state, which the hand sets and a reader's hit clears (one CAS per
 *       hand pass). Cheapest on hits.
 *   <li><b>LRU</b>: a coarse access stamp per page, written by a hit only when the tick (64 per
 *       cache turnover) moved; eviction takes the oldest of 16 random resident pages (exact LRU,
 *       at tick resolution, when the cache holds no more than 16 pages).
 *   <li><b>ARC</b>, as CAR (Clock with Adaptive Replacement): clocks T1 (seen once) and T2 (seen
 *       twice), ghost lists B1 and B2 of evicted page ids, and a target size for T1 that B1 hits
 *       raise and B2 hits lower. Hits only set the reference bit, as for CLOCK.
 * </ul>
 * <b>Scan resistance</b> ({@code enableScanResistance}): CLOCK and LRU admit a page on probation
 * (CLOCK without its reference bit, LRU at the midpoint, as InnoDB does); a second touch protects
 * it, and protected pages, up to 5/8 of the cache, are evicted only after the probation pages. A
 * scan, touching each page once, then only churns probation. ARC is scan resistant by
 * construction (a page seen once never leaves T1) and ignores the knob.
 *
 * <p><b>Hot-page pinning</b> ({@code pinHotPages}): readers count accesses per page (exactly below
 * 32, sampled above; see {@code HotPages}); a page whose count reaches {@code hotPageThreshold}
 * when the policy considers evicting it moves to the hot partition instead, out of every list, up
 * to {@code hotPartitionRatio} of the capacity. The rest of the cache stays evictable, so the
 * pool can always make room; {@link io.lightningdb.cache.BufferPool#resize} shrinks the
 * partition with the cache, unpinning the coldest pages first.
 */
package io.lightningdb.cache;
