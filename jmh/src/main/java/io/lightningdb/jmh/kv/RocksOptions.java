package io.lightningdb.jmh.kv;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

/**
 * The RocksDB options every benchmark opens RocksDB with (plain in {@link RocksStore}, as an
 * OptimisticTransactionDB in the transaction benchmarks), with the native cache and filter they
 * hold, closed together: an LRU block cache of {@code cacheBytes} that also holds index and filter
 * blocks (so a small cache is the whole budget), 10-bit Bloom filters, no compression (values are
 * random, and no other engine compresses), bytewise (unsigned) comparator, 2 background jobs,
 * direct reads only when asked.
 *
 * {@snippet :
 * try (RocksOptions o = RocksOptions.create(512L << 20, false); RocksDB db = RocksDB.open(o.options(), dir)) { ... }
 * }
 */
public final class RocksOptions implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final LRUCache cache;
    private final BloomFilter filter;
    private final Options options;

    private RocksOptions(LRUCache cache, BloomFilter filter, Options options) {
        this.cache = cache;
        this.filter = filter;
        this.options = options;
    }

    public static RocksOptions create(long cacheBytes, boolean directReads) {
        LRUCache cache = new LRUCache(cacheBytes);
        BloomFilter filter = new BloomFilter(10, false);
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setFilterPolicy(filter)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        Options options = new Options()
                .setCreateIfMissing(true)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setMaxBackgroundJobs(2)
                .setUseDirectReads(directReads)
                .setTableFormatConfig(table);
        return new RocksOptions(cache, filter, options);
    }

    public Options options() {
        return options;
    }

    /** Bytes the block cache holds now. */
    public long cacheUsage() {
        return cache.getUsage();
    }

    /** Closes the options, filter and cache; after the database that uses them is closed. */
    @Override
    public void close() {
        options.close();
        filter.close();
        cache.close();
    }
}
