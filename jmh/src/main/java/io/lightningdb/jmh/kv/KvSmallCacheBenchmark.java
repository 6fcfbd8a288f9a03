package io.lightningdb.jmh.kv;

import io.lightningdb.LightningDbConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Data {@code dataPerCache} times larger than the cache: the store is loaded with a large cache,
 * closed, measured on disk, and reopened with {@code cacheSize = data / dataPerCache} and reads
 * that bypass the OS page cache, so most reads go to the disk. Only engines whose cache is the
 * whole memory budget take part: Lightning DB (O_DIRECT always) and RocksDB (block cache holding
 * index and filter blocks, use_direct_reads). LMDB and MapDB read through mmap and MVStore through
 * the OS page cache, which a JVM cannot cap. Scores are reads per second (multiGet counts its 32
 * keys); jmh/kv-bench.sh sets them beside fio on Lightning's file at the same queue depth.
 */
public class KvSmallCacheBenchmark extends UniformReads {
    static final int MULTI_GET = 32;

    @Param({"lightning", "rocksdb"})
    public String cachedEngine;

    @Param({"8"})
    public int dataPerCache;

    private Path dir;
    private long dataBytes;
    private long heapBefore;
    private long loadNanos;

    @Setup(Level.Trial)
    public void setup() {
        if (!cachedEngine.equals("lightning") && !cachedEngine.equals("rocksdb")) {
            throw new IllegalArgumentException("cachedEngine must be lightning or rocksdb (engines whose cache is "
                    + "the whole read budget), got " + cachedEngine);
        }
        Fixture.checkKeys(keys);
        heapBefore = Fixture.heapAfterGc();
        dir = Fixture.newDir(cachedEngine);
        long t0 = System.nanoTime();
        try (KvStore loading = KvStore.open(cachedEngine, dir, Fixture.largeCache(keys), true)) {
            Fixture.fill(loading, keys);
        }
        loadNanos = System.nanoTime() - t0;
        dataBytes = KvStore.dirBytes(dir);
        long cache = Math.max(LightningDbConfig.MIN_CACHE_SIZE, dataBytes / dataPerCache);
        store = KvStore.open(cachedEngine, dir, cache, true);
        Fixture.verify(store, keys);
    }

    @Override
    String engineName() {
        return cachedEngine;
    }

    /** 32 uniformly random keys in one multiGet; the score counts keys. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(MULTI_GET)
    public List<byte[]> multiGet32(Worker w) {
        List<byte[]> batch = new ArrayList<>(MULTI_GET);
        for (int i = 0; i < MULTI_GET; i++) {
            batch.add(Keys.key(w.random.nextLong(keys)));
        }
        List<byte[]> values = store.multiGet(batch);
        for (int i = 0; i < MULTI_GET; i++) {
            if (values.get(i) == null) {
                throw new IllegalStateException(cachedEngine + ": multiGet missed key " + Keys.number(batch.get(i)));
            }
        }
        return values;
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        try {
            Fixture.printMemory(params.getBenchmark(), cachedEngine, keys, dataBytes, heapBefore, loadNanos, store);
        } finally {
            store.close();
            KvStore.deleteTree(dir);
        }
    }
}
