package io.lightningdb;

import io.lightningdb.engine.EngineFigures;

/**
 * A snapshot of what the database holds and how its cache fares.
 *
 * @param keys keys in the tree (exact when no write is in progress)
 * @param pages pages in the file, including free ones and the superblock
 * @param freePages pages free for reuse
 * @param treeHeight levels of the B-link tree (1 = a single leaf)
 * @param pageSize bytes per page
 * @param cacheSize the cache's capacity in bytes
 * @param cacheUsed bytes of pages in memory now
 * @param cacheAccesses page accesses since open (estimated: sampled 1 in 64); with
 *     {@code pageFaults}, two snapshots give the hit ratio of the interval between them
 * @param cacheHitRatio share of page accesses served from memory since open
 * @param pageFaults pages the cache missed and loaded: read from the file, or rescued
 * @param pageRescues of {@code pageFaults}, those served without a read from memory the cache had
 *     given back lazily and the OS had not taken yet ({@code evictedMemory(LAZY)})
 * @param evictions pages dropped from memory
 * @param pinnedPages pages in the hot partition ({@code pinHotPages}), never evicted while there
 * @param offHeapBytes off-heap memory the engine holds: cached pages, page-state and dirty maps, scratch pages
 * @param search which node search runs ("vector-512", "scalar")
 * @param capabilities which native features are in use
 * @param durability the write-ahead log and checkpoints
 * @param transactions open transactions and the old versions kept for them
 * @param memoryPools the off-heap scratch memory outside the cache ({@code enableMemoryPools})
 * @param writers how writers shared the write path ({@code maxConcurrentWriters})
 * @param space what the files take against the data they hold (space amplification)
 * @param warmRestart how far the background reading of the last open's hot pages got ({@code warmRestart})
 */
public record DatabaseStats(
        long keys, long pages, long freePages, int treeHeight, int pageSize, long cacheSize, long cacheUsed,
        long cacheAccesses, double cacheHitRatio, long pageFaults, long pageRescues, long evictions, long pinnedPages,
        long offHeapBytes,
        String search, Capabilities capabilities, DurabilityStats durability,
        TransactionStats transactions, MemoryPoolStats memoryPools, WriterStats writers, SpaceStats space,
        WarmRestartStats warmRestart) {

    /** The engine's figures in the API's terms; {@code config} is the one the database was opened with. */
    static DatabaseStats of(EngineFigures f, Capabilities capabilities, LightningDbConfig config) {
        return new DatabaseStats(f.keys(), f.pages(), f.freePages(), f.treeHeight(), f.pageSize(),
                f.cacheCapacityBytes(), f.cacheResidentBytes(), f.cacheAccesses(), f.cacheHitRatio(), f.pageFaults(),
                f.pageRescues(), f.evictions(), f.pinnedPages(), f.offHeapBytes(), f.search(), capabilities,
                DurabilityStats.of(config.walSyncMode(), f.durability()), TransactionStats.of(f.transactions()),
                MemoryPoolStats.of(config, f.scratch()), WriterStats.of(f.writers()), SpaceStats.of(f.space()),
                WarmRestartStats.of(f.warmRestart()));
    }

    /** Share of page accesses served from memory between {@code earlier} and this snapshot. */
    public double cacheHitRatioSince(DatabaseStats earlier) {
        long accesses = cacheAccesses - earlier.cacheAccesses;
        if (accesses <= 0) {
            return 1.0;
        }
        return Math.max(0.0, Math.min(1.0, 1.0 - (double) (pageFaults - earlier.pageFaults) / accesses));
    }
}
