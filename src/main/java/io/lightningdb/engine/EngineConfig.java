package io.lightningdb.engine;

import io.lightningdb.cache.CacheConfig;
import io.lightningdb.io.IoConfig;
import io.lightningdb.txn.TxnConfig;
import io.lightningdb.wal.WalConfig;

/**
 * What the engine needs of a database's configuration, in the layers' own types: the API's
 * {@code LightningDbConfig} translates itself into one of these, so nothing below the API reads
 * the public configuration class.
 *
 * @param pageSize page size of a new database (an existing one keeps its own)
 * @param maxKeySize key limit of a new database
 * @param maxDatabaseSize bound of the data file, in bytes
 * @param cacheSize buffer pool size in bytes
 * @param simdSearch whether node search may use the Vector API
 * @param maxWalSize log bytes after which a checkpoint runs by itself
 * @param transactions the transactions' limits, retries and locking, and the memory old versions may take
 * @param maxConcurrentWriters plain writers admitted at once (more queue)
 * @param autoCompactThreshold free share of the file, through a checkpoint interval, that starts a
 *     background compaction; 0 for never
 * @param valueSeparationThreshold values of at least this many bytes (up to a page) go to value
 *     pages, out of the leaves; 0 for none
 * @param warmRestart list the cache's hot pages at close and read them back in the background at open
 * @param readAheadPages the most leaves a scan loads ahead in one batch; 0 or 1 for none
 * @param prefetchEnabled whether prefetch workers load pages ahead of scans
 * @param prefetchDistance leaves a scan keeps requested ahead of it; 0 for none
 * @param prefetchWorkers the prefetch workers' threads
 * @param io the page file's I/O settings
 * @param wal the log's settings
 * @param cache the buffer pool's settings, with frame placement and scratch pools
 */
public record EngineConfig(int pageSize, int maxKeySize, long maxDatabaseSize, long cacheSize, boolean simdSearch,
        long maxWalSize, TxnConfig transactions, int maxConcurrentWriters, double autoCompactThreshold,
        int valueSeparationThreshold, boolean warmRestart, int readAheadPages, boolean prefetchEnabled,
        int prefetchDistance, int prefetchWorkers, IoConfig io, WalConfig wal, CacheConfig cache) {

    long maxPages() {
        return maxDatabaseSize / pageSize;
    }
}
