package io.lightningdb.jmh.kv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;

/**
 * The write workloads the way an outside harness meets them, one engine per JVM: 16-byte keys made
 * by a 64-bit bijective hash of the key number (so "random" really is random in key order and
 * "ascending" means sorted by the hashed bytes), 100-byte values, every operation timed into an
 * HdrHistogram (with how many took over 1 ms and their total time), the load's final flush timed
 * on its own ({@code flushMs}, outside the histogram and the rate), the directory's size after it
 * ({@code fileMiB}, the store still open) and after {@code close()} ({@code closedMiB}), and the
 * time {@code close()} takes. JMH (KvLoadBenchmark, KvReadBenchmark) gives the throughput ratios; this gives the tails,
 * the file sizes and the close times beside them. Prints one {@code probe ...} line.
 *
 * {@snippet lang=sh :
 * java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx4g \
 *   -cp target/benchmarks.jar io.lightningdb.jmh.kv.WriteProbe lightning ascending 1000000
 * java ... WriteProbe rocksdb mixed 1000000 2 60     # 50% get / 50% update, zipfian, 2 threads, 60 s
 * }
 *
 * <p>Workloads: {@code ascending} and {@code random} (single puts into an empty store),
 * {@code batched} (random order, batches of 1,000 through {@link KvStore#writeBatch}), {@code mixed}
 * (after a batched load: half zipfian gets, half updates) and {@code updates} (after a batched
 * load: uniform updates only).
 */
public final class WriteProbe {
    static final int BATCH = 1000;
    /** {@code -Dprobe.trace=US}: print each batch slower than that many microseconds. */
    static final long TRACE = Long.getLong("probe.trace", 0);
    static final long T0 = System.nanoTime();
    /** {@code -Dprobe.flush=false}: no flush after a load, so {@code close()} does what is left (as a user's program would). */
    static final boolean FLUSH = !"false".equals(System.getProperty("probe.flush"));
    private static final long M1 = 0xbf58476d1ce4e5b9L;
    private static final long M2 = 0x94d049bb133111ebL;
    private static final long M1_INV = inverse(M1);
    private static final long M2_INV = inverse(M2);

    private WriteProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: WriteProbe ENGINE ascending|random|batched|mixed|updates [KEYS] [THREADS] [SECONDS]");
            System.exit(2);
        }
        String engine = args[0];
        String workload = args[1];
        int keys = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 60;
        Path dir = Fixture.newDir(Path.of(System.getProperty("kv.dir", "target/kv-bench/probe")), engine);
        KvStore store = KvStore.open(engine, dir, Fixture.largeCache(keys), false);
        Histogram h = new Histogram(60_000_000_000L, 3);
        long ops;
        long t0;
        long elapsed;
        long fileBytes;
        long flushNanos = 0;
        try {
            switch (workload) {
                case "ascending", "random", "batched" -> {
                    long[] order = workload.equals("ascending") ? ascending(keys) : shuffled(keys);
                    t0 = System.nanoTime();
                    if (workload.equals("batched")) {
                        loadBatched(store, order, h);
                    } else {
                        for (long n : order) {
                            byte[] k = key(n);
                            byte[] v = Keys.value(n, 0);
                            long s = System.nanoTime();
                            store.put(k, v);
                            long took = System.nanoTime() - s;
                            h.recordValue(took);
                            trace("put", n, s, took);
                        }
                    }
                    elapsed = System.nanoTime() - t0;
                    if (FLUSH) {
                        long f = System.nanoTime();
                        store.flush();
                        flushNanos = System.nanoTime() - f;
                    }
                    ops = keys;
                }
                case "mixed", "updates" -> {
                    loadBatched(store, shuffled(keys), new Histogram(60_000_000_000L, 3));
                    store.flush();
                    long[] done = new long[threads];
                    Histogram[] per = new Histogram[threads];
                    CountDownLatch start = new CountDownLatch(1);
                    List<Thread> ts = new ArrayList<>();
                    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
                    boolean mixed = workload.equals("mixed");
                    for (int i = 0; i < threads; i++) {
                        int id = i;
                        per[i] = new Histogram(60_000_000_000L, 3);
                        Thread t = new Thread(() -> {
                            SplittableRandom r = new SplittableRandom(0x5EED + id);
                            ScrambledZipfian z = new ScrambledZipfian(keys);
                            long version = 0;
                            long count = 0;
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                return;
                            }
                            while ((count & 63) != 0 || System.nanoTime() < deadline) {
                                long n = mixed ? z.next(r) : r.nextLong(keys);
                                byte[] k = key(n);
                                long s = System.nanoTime();
                                if (mixed && r.nextBoolean()) {
                                    Keys.check(n, store.get(k));
                                } else {
                                    store.put(k, Keys.value(n, ++version));
                                }
                                per[id].recordValue(System.nanoTime() - s);
                                count++;
                            }
                            done[id] = count;
                        }, "probe-" + i);
                        ts.add(t);
                        t.start();
                    }
                    t0 = System.nanoTime();
                    start.countDown();
                    for (Thread t : ts) {
                        t.join();
                    }
                    elapsed = System.nanoTime() - t0;
                    ops = Arrays.stream(done).sum();
                    for (Histogram p : per) {
                        h.add(p);
                    }
                    long f = System.nanoTime();
                    store.flush();
                    flushNanos = System.nanoTime() - f;
                }
                default -> throw new IllegalArgumentException("workload must be ascending, random, batched, mixed or updates: " + workload);
            }
            fileBytes = KvStore.dirBytes(dir);
            if (Boolean.getBoolean("probe.list")) {
                try (var files = java.nio.file.Files.walk(dir)) {
                    files.filter(java.nio.file.Files::isRegularFile).forEach(f -> System.out.printf("  %s %.1f MiB%n",
                            dir.relativize(f), f.toFile().length() / 1048576.0));
                }
            }
        } catch (RuntimeException | InterruptedException | java.io.IOException e) {
            store.close();
            KvStore.deleteTree(dir);
            throw e;
        }
        String report = store.report();
        long c = System.nanoTime();
        store.close();
        long closeNanos = System.nanoTime() - c;
        long closedBytes = KvStore.dirBytes(dir);
        KvStore.deleteTree(dir);
        double raw = (double) keys * (Keys.KEY_SIZE + Keys.VALUE_SIZE);
        long[] slow = over(h, 1_000_000L);
        System.out.printf("probe engine=%s workload=%s keys=%d threads=%d ops=%d seconds=%.2f opsPerSec=%.0f"
                        + " p50us=%.1f p99us=%.1f p999us=%.1f maxus=%.1f over1ms=%d over1msSeconds=%.2f flushMs=%.1f"
                        + " fileMiB=%.1f spaceAmp=%.2f closeMs=%.1f closedMiB=%.1f %s%n",
                engine, workload, keys, threads, ops, elapsed / 1e9, ops / (elapsed / 1e9),
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3, slow[0], slow[1] / 1e9, flushNanos / 1e6, fileBytes / 1048576.0, fileBytes / raw, closeNanos / 1e6, closedBytes / 1048576.0, report);
    }

    /** With {@code -Dprobe.trace}, one line for an operation slower than the limit: what, when (also wall-clock, for perf), how long. */
    private static void trace(String what, long n, long startNanos, long took) {
        if (TRACE > 0 && took > TRACE * 1000L) {
            System.out.printf("  slow %s %d at %.3f s (%s): %.1f ms%n", what, n, (startNanos - T0) / 1e9,
                    java.time.Instant.now().minusNanos(took), took / 1e6);
        }
    }

    /** How many recorded values exceed {@code nanos}, and their sum. */
    private static long[] over(Histogram h, long nanos) {
        long count = 0;
        long sum = 0;
        for (var v : h.recordedValues()) {
            if (v.getValueIteratedTo() > nanos) {
                count += v.getCountAtValueIteratedTo();
                sum += v.getCountAtValueIteratedTo() * h.medianEquivalentValue(v.getValueIteratedTo());
            }
        }
        return new long[] {count, sum};
    }

    private static void loadBatched(KvStore store, long[] order, Histogram h) {
        byte[][] k = new byte[BATCH][];
        byte[][] v = new byte[BATCH][];
        for (int i = 0; i < order.length; i += BATCH) {
            int n = Math.min(BATCH, order.length - i);
            for (int j = 0; j < n; j++) {
                k[j] = key(order[i + j]);
                v[j] = Keys.value(order[i + j], 0);
            }
            long s = System.nanoTime();
            store.writeBatch(k, v, n);
            long took = System.nanoTime() - s;
            h.recordValue(took);
            trace("batch", i / BATCH, s, took);
        }
    }

    /** The key of key number {@code n}: its hash, then the number, both big-endian. */
    static byte[] key(long n) {
        byte[] k = new byte[Keys.KEY_SIZE];
        putLong(k, 0, mix(n));
        putLong(k, 8, n);
        return k;
    }

    /** Key numbers 0..n-1 in the order of their keys' bytes (unsigned hash order). */
    static long[] ascending(int n) {
        long[] h = new long[n];
        for (int i = 0; i < n; i++) {
            h[i] = mix(i) ^ Long.MIN_VALUE; // signed order of the flipped value = unsigned order
        }
        Arrays.sort(h);
        for (int i = 0; i < n; i++) {
            h[i] = unmix(h[i] ^ Long.MIN_VALUE);
        }
        return h;
    }

    static long[] shuffled(int n) {
        int[] a = Keys.shuffled(n, Fixture.LOAD_SEED);
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            r[i] = a[i];
        }
        return r;
    }

    /** SplitMix64's finalizer: a bijection on 64-bit values. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * M1;
        z = (z ^ (z >>> 27)) * M2;
        return z ^ (z >>> 31);
    }

    static long unmix(long z) {
        z = unshift(z, 31) * M2_INV;
        z = unshift(z, 27) * M1_INV;
        return unshift(z, 30);
    }

    private static long unshift(long x, int s) {
        long y = x;
        for (int i = 0; i < 64 / s + 1; i++) {
            y = x ^ (y >>> s);
        }
        return y;
    }

    /** The inverse of odd {@code a} modulo 2^64 (Newton's iteration doubles the correct bits). */
    private static long inverse(long a) {
        long x = a;
        for (int i = 0; i < 6; i++) {
            x *= 2 - a * x;
        }
        return x;
    }

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
