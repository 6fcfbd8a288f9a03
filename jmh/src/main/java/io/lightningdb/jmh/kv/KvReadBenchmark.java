package io.lightningdb.jmh.kv;

import java.nio.file.Path;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Reads, scans and a read-update mix over a store preloaded once per trial with {@code keys}
 * keys (random order, batches), with every engine's cache large enough to hold all of it and
 * warmed by one full scan. Scores are operations per second, all threads together.
 *
 * <p>Run through jmh/kv-bench.sh, which runs every engine in one JMH run and prints the table of
 * docs/benchmarks.md. By hand:
 * {@snippet :
 * java -jar target/benchmarks.jar KvReadBenchmark -p keys=50000 -p engine=lightning,rocksdb
 * }
 */
public class KvReadBenchmark extends UniformReads {
    static final int SCAN = 100;

    @Param({"lightning", "rocksdb", "lmdb", "mvstore", "mapdb"})
    public String engine;

    private Path dir;
    private ScrambledZipfian zipfian;
    private long heapBefore;
    private long loadNanos;

    @Setup(Level.Trial)
    public void setup() {
        Fixture.checkKeys(keys);
        heapBefore = Fixture.heapAfterGc();
        dir = Fixture.newDir(engine);
        store = KvStore.open(engine, dir, Fixture.largeCache(keys), false);
        long t0 = System.nanoTime();
        Fixture.fill(store, keys);
        loadNanos = System.nanoTime() - t0;
        Fixture.verify(store, keys);
        Fixture.warm(store, keys);
        zipfian = new ScrambledZipfian(keys);
    }

    @Override
    String engineName() {
        return engine;
    }

    @Benchmark
    @Threads(1)
    public byte[] zipfianRead_1t(Worker w) {
        return read(zipfian.next(w.random));
    }

    @Benchmark
    @Threads(2)
    public byte[] zipfianRead_2t(Worker w) {
        return read(zipfian.next(w.random));
    }

    /** 100 entries in key order from a uniformly random key (always 100 there). */
    @Benchmark
    @Threads(1)
    public long scan100(Worker w) {
        long from = w.random.nextLong(keys - SCAN + 1);
        long bytes = store.scan(Keys.key(from), SCAN);
        if (bytes != SCAN * (Keys.KEY_SIZE + Keys.VALUE_SIZE)) {
            throw new IllegalStateException(engine + ": scan from " + from + " visited " + bytes + " bytes");
        }
        return bytes;
    }

    /** YCSB workload A: zipfian keys, half reads, half updates of a whole value. */
    @Benchmark
    @Threads(1)
    public Object readUpdate50(Worker w) {
        long n = zipfian.next(w.random);
        if (w.random.nextBoolean()) {
            return read(n);
        }
        store.put(Keys.key(n), Keys.value(n, ++w.version));
        return null;
    }

    /** Workload A from two threads: on Lightning DB, plain writers run side by side. */
    @Benchmark
    @Threads(2)
    public Object readUpdate50_2t(Worker w) {
        return readUpdate50(w);
    }

    /** Writers only: a whole value of a uniformly random key, from one thread. */
    @Benchmark
    @Threads(1)
    public void update_1t(Worker w) {
        long n = w.random.nextLong(keys);
        store.put(Keys.key(n), Keys.value(n, ++w.version));
    }

    /** Writers only, from two threads. */
    @Benchmark
    @Threads(2)
    public void update_2t(Worker w) {
        update_1t(w);
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        try {
            Fixture.printMemory(params.getBenchmark(), engine, keys, KvStore.dirBytes(dir), heapBefore, loadNanos, store);
        } finally {
            store.close();
            KvStore.deleteTree(dir);
        }
    }
}
