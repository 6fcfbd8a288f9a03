package io.lightningdb.engine;

import io.lightningdb.cache.ScratchPages;

/**
 * Everything an open engine can say about itself at one call, in the layers' own types: the API's
 * {@code DatabaseStats} is made from one of these.
 *
 * @param keys keys in the store (exact when no write is in progress)
 * @param pages pages in the file, free ones and the superblock included
 * @param freePages pages free for reuse
 * @param treeHeight levels of the tree (1: a single leaf)
 * @param pageSize bytes per page
 * @param cacheCapacityBytes the buffer pool's capacity
 * @param cacheResidentBytes bytes of pages in memory now
 * @param cacheAccesses page accesses since open (sampled)
 * @param cacheHitRatio share of page accesses served from memory since open
 * @param pageFaults pages loaded: read from the file, or rescued
 * @param pageRescues loads served from a lazily released frame without a read (part of {@code pageFaults})
 * @param evictions pages dropped from memory
 * @param pinnedPages pages in the hot partition
 * @param offHeapBytes off-heap memory held: frames, page-state and dirty maps, scratch pages
 * @param search which node search runs
 * @param durability the log's and checkpoints' figures
 * @param writers how writers shared the write path
 * @param space what the files take against what they hold
 * @param scratch the buffer pool's scratch memory outside the cache
 * @param transactions open transactions and the old versions kept for them
 * @param warmRestart how far the warm restart's loading of the last open's hot pages got
 */
public record EngineFigures(long keys, long pages, long freePages, int treeHeight, int pageSize,
        long cacheCapacityBytes, long cacheResidentBytes, long cacheAccesses, double cacheHitRatio, long pageFaults,
        long pageRescues, long evictions, long pinnedPages, long offHeapBytes, String search,
        DurabilityFigures durability, WriterFigures writers, SpaceFigures space, ScratchPages.Stats scratch, TransactionFigures transactions,
        WarmRestartFigures warmRestart) {}
