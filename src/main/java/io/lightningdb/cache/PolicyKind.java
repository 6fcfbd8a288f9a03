package io.lightningdb.cache;

/** Which replacement policy a {@link BufferPool} runs (see the package documentation). */
public enum PolicyKind {
    /** Approximate LRU: coarse per-page access stamps, the oldest of a random sample is evicted. */
    LRU,
    /** Second-chance FIFO over a ring of resident pages, the reference bit being the state word's mark. */
    CLOCK,
    /** ARC as CAR (Clock with Adaptive Replacement): two clocks and two ghost lists, adaptive target. */
    ARC
}
