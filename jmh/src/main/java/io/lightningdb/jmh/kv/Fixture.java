package io.lightningdb.jmh.kv;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * What the key-value benchmarks share: where stores live, how large the "holds everything"
 * cache is, the preload (random order, in batches), its checks, and the memory line printed at
 * teardown that jmh/kv-bench.sh collects.
 */
public final class Fixture {
    /** Parent of every store's temporary directory: on the project's disk, not tmpfs. */
    static final Path BASE = Path.of(System.getProperty("kv.dir", "target/kv-bench/tmp"));
    static final int BATCH = 1000;
    static final long LOAD_SEED = 0x10AD;
    /** Bytes a key-value pair may take in any engine's file, with slack: sizes the large caches. */
    static final long BYTES_PER_KEY_BUDGET = 512;
    /** Every line that jmh/kv-bench.sh reads starts with this. */
    static final String MEMORY_TAG = "kv-mem";

    private Fixture() {}

    /** A new empty directory for one store under {@link #BASE}. */
    static Path newDir(String engine) {
        return newDir(BASE, engine);
    }

    /** A new empty directory for one store of {@code engine} under {@code base} (created if absent). */
    public static Path newDir(Path base, String engine) {
        try {
            Files.createDirectories(base);
            return Files.createTempDirectory(base, engine + "-");
        } catch (IOException e) {
            throw new IllegalStateException(base + ": " + e.getMessage(), e);
        }
    }

    /** A cache that holds all the data of {@code keys} keys in every engine: 512 B a key, at least 64 MiB. */
    public static long largeCache(int keys) {
        return Math.max(64L << 20, keys * BYTES_PER_KEY_BUDGET);
    }

    public static void checkKeys(int keys) {
        if (keys < 1000) {
            throw new IllegalArgumentException("keys must be at least 1000 (scans of 100 need room), got " + keys);
        }
    }

    /** Loads keys 0..keys-1 in a random order, in batches, then flushes and compacts. */
    public static void fill(KvStore store, int keys) {
        int[] order = Keys.shuffled(keys, LOAD_SEED);
        byte[][] k = new byte[BATCH][];
        byte[][] v = new byte[BATCH][];
        for (int i = 0; i < keys; i += BATCH) {
            int n = Math.min(BATCH, keys - i);
            for (int j = 0; j < n; j++) {
                k[j] = Keys.key(order[i + j]);
                v[j] = Keys.value(order[i + j], 0);
            }
            store.putAll(k, v, n);
        }
        store.flush();
        store.compact();
    }

    /**
     * Checks 1000 random keys, an absent key, and one scan of 100 entries that must return keys in
     * ascending order: an engine that loaded wrongly fails here, before it is measured.
     */
    public static void verify(KvStore store, int keys) {
        SplittableRandom r = new SplittableRandom(99);
        for (int i = 0; i < 1000; i++) {
            long n = r.nextLong(keys);
            Keys.check(n, store.get(Keys.key(n)));
        }
        if (store.get(Keys.key(keys)) != null) {
            throw new IllegalStateException("key " + keys + " was never put but is present");
        }
        long start = r.nextLong(keys - 100);
        long bytes = store.scan(Keys.key(start), 100);
        if (bytes != 100L * (Keys.KEY_SIZE + Keys.VALUE_SIZE)) {
            throw new IllegalStateException("scan of 100 from key " + start + " visited " + bytes + " bytes");
        }
    }

    /** {@link #verify}, then closes {@code store} and deletes {@code dir} even if the check failed. */
    public static void verifyCloseAndDelete(KvStore store, int keys, Path dir) {
        try {
            verify(store, keys);
        } finally {
            store.close();
            KvStore.deleteTree(dir);
        }
    }

    /** The value of key number {@code n}; a missing key fails the benchmark, so only hits are counted. */
    static byte[] read(KvStore store, String engine, long n) {
        byte[] v = store.get(Keys.key(n));
        if (v == null) {
            throw new IllegalStateException(engine + ": key " + n + " missing");
        }
        return v;
    }

    /** One full scan, so every engine starts measuring with its cache as full as it gets. */
    static void warm(KvStore store, int keys) {
        long bytes = store.scan(Keys.key(0), keys);
        if (bytes != (long) keys * (Keys.KEY_SIZE + Keys.VALUE_SIZE)) {
            throw new IllegalStateException("full scan visited " + bytes + " bytes, expected "
                    + (long) keys * (Keys.KEY_SIZE + Keys.VALUE_SIZE));
        }
    }

    /** Heap in use after full collections: what the process keeps, not what it has yet to free. */
    static long heapAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Prints the teardown line jmh/kv-bench.sh collects. */
    static void printMemory(String benchmark, String engine, int keys, long dataBytes, long heapBefore,
            long loadNanos, KvStore store) {
        long heap = heapAfterGc();
        String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        // Own line: JMH prints "Iteration N:" without a newline before the teardown runs.
        System.out.println();
        System.out.println(MEMORY_TAG + " bench=" + name + " engine=" + engine + " keys=" + keys
                + " dataBytes=" + dataBytes + " heapBeforeOpen=" + heapBefore + " heapAfterGc=" + heap
                + " preloadSeconds=" + String.format("%.2f", loadNanos / 1e9) + " " + store.report());
    }
}
