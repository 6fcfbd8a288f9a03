package io.lightningdb;

/**
 * The buffer pool's replacement policy, the production guide's {@code cache_config.algorithm}.
 * All three keep readers free of locks; docs/architecture.md says how each works and when it wins.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="cacheAlgorithm"}
 */
public enum CacheAlgorithm {
    /** Approximate least-recently-used: the oldest of a random sample of pages is evicted. */
    LRU,
    /** Second-chance clock: cheapest on hits; the default. */
    CLOCK,
    /** Adaptive replacement (ARC as CAR): balances recency and frequency by itself. */
    ARC
}
