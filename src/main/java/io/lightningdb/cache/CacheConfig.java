package io.lightningdb.cache;

/**
 * How the buffer pool chooses what to evict: the production guide's {@code cache_config}
 * (algorithm, scan resistance, hot partition) and {@code pin_hot_pages}/{@code hot_page_threshold}.
 *
 * {@snippet class=io.lightningdb.cache.CacheExamples region="config"}
 *
 * @param algorithm the replacement policy
 * @param enableScanResistance new pages must be touched a second time before they are protected
 *     from pages faulted in after them (CLOCK and LRU; ARC is scan resistant by construction and
 *     ignores it)
 * @param pinHotPages keep pages accessed at least {@code hotPageThreshold} times out of eviction
 * @param hotPageThreshold accesses that make a page hot (within about a cache turnover), counted
 *     exactly below 32 and sampled above so that a hit rarely writes
 * @param hotPartitionRatio the most of the cache pinned pages may hold, in (0, 0.9]: the rest is
 *     always evictable, so the pool can make room
 * @param placement the NUMA policy of the frame reservation ({@link FramePlacement#OFF}: none)
 * @param scratch whether and how much released scratch memory is kept for reuse ({@link ScratchPages})
 * @param lazyRelease an evicted page's memory goes back with {@code MADV_FREE} (the OS takes it when
 *     it needs memory; until then a miss on that page is served from it, checksum verified, without
 *     a read: {@link LazyRelease}) rather than {@code MADV_DONTNEED} (given back at once)
 */
public record CacheConfig(PolicyKind algorithm, boolean enableScanResistance, boolean pinHotPages,
        int hotPageThreshold, double hotPartitionRatio, FramePlacement placement, ScratchPages.Config scratch,
        boolean lazyRelease) {
    public static final int MIN_HOT_PAGE_THRESHOLD = 1;
    public static final int MAX_HOT_PAGE_THRESHOLD = 1 << 24;
    public static final double MAX_HOT_PARTITION_RATIO = 0.9;

    public CacheConfig {
        if (algorithm == null) {
            throw new NullPointerException("cacheAlgorithm");
        }
        if (placement == null || scratch == null) {
            throw new NullPointerException(placement == null ? "placement" : "scratch");
        }
        if (hotPageThreshold < MIN_HOT_PAGE_THRESHOLD || hotPageThreshold > MAX_HOT_PAGE_THRESHOLD) {
            throw new IllegalArgumentException("hotPageThreshold must be in [" + MIN_HOT_PAGE_THRESHOLD + ", "
                    + MAX_HOT_PAGE_THRESHOLD + "], got " + hotPageThreshold);
        }
        if (!(hotPartitionRatio > 0.0 && hotPartitionRatio <= MAX_HOT_PARTITION_RATIO)) {
            throw new IllegalArgumentException("hotPartitionRatio must be in (0.0, " + MAX_HOT_PARTITION_RATIO
                    + "], got " + hotPartitionRatio);
        }
    }

    /** Without NUMA placement, scratch pools at their defaults, evicted memory released lazily. */
    public CacheConfig(PolicyKind algorithm, boolean enableScanResistance, boolean pinHotPages, int hotPageThreshold,
            double hotPartitionRatio) {
        this(algorithm, enableScanResistance, pinHotPages, hotPageThreshold, hotPartitionRatio, FramePlacement.OFF,
                ScratchPages.Config.DEFAULTS, true);
    }

    /** CLOCK with scan resistance, no pinning (threshold 1000 and ratio 0.3 apply once it is on). */
    public static CacheConfig defaults() {
        return new CacheConfig(PolicyKind.CLOCK, true, false, 1000, 0.3);
    }

    /** A copy running another algorithm. */
    public CacheConfig withAlgorithm(PolicyKind a) {
        return new CacheConfig(a, enableScanResistance, pinHotPages, hotPageThreshold, hotPartitionRatio, placement, scratch,
                lazyRelease);
    }

    /** A copy placing its frames by {@code p}. */
    public CacheConfig withPlacement(FramePlacement p) {
        return new CacheConfig(algorithm, enableScanResistance, pinHotPages, hotPageThreshold, hotPartitionRatio, p, scratch,
                lazyRelease);
    }

    /** A copy releasing evicted memory lazily ({@code MADV_FREE}) or at once ({@code MADV_DONTNEED}). */
    public CacheConfig withLazyRelease(boolean lazy) {
        return new CacheConfig(algorithm, enableScanResistance, pinHotPages, hotPageThreshold, hotPartitionRatio, placement,
                scratch, lazy);
    }

    /** A copy keeping scratch memory as {@code s} says. */
    public CacheConfig withScratch(ScratchPages.Config s) {
        return new CacheConfig(algorithm, enableScanResistance, pinHotPages, hotPageThreshold, hotPartitionRatio, placement, s,
                lazyRelease);
    }
}
