package io.lightningdb.jmh.kv;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.WarmRestartStats;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * How soon a restarted database is as fast as it was ({@code warmRestart}): loads KEYS keys of
 * VALUE_LEN-byte values (hashed order) into a cache that holds them, measures warm uniform gets
 * (1 thread, after the cache is full), then restarts with the warm restart on and off and counts
 * gets in 100 ms windows from the start of {@code open}: the time to the first window at 90% of
 * the warm rate, and the gets done in the first 2 s. Prints one {@code warm ...} line per mode.
 *
 * {@snippet lang=sh :
 * java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xmx2g \
 *   -cp target/benchmarks.jar io.lightningdb.jmh.kv.WarmRestartProbe 400000 1000 1024
 * }
 */
public final class WarmRestartProbe {
    private static final long WINDOW_NANOS = 100_000_000L;
    private static final int WINDOWS = 80;

    private WarmRestartProbe() {}

    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int valueLen = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long cache = (args.length > 2 ? Long.parseLong(args[2]) : 1024) << 20;
        Path dir = Fixture.newDir(Path.of(System.getProperty("kv.dir", "target/kv-bench/warm")), "lightning");
        SplittableRandom r = new SplittableRandom(42);
        byte[] value = new byte[valueLen];
        long t0 = System.nanoTime();
        try (Database db = Database.open(dir, config(cache, true))) {
            for (int i = 0; i < keys; i++) {
                r.nextBytes(value);
                db.put(key(i), value);
            }
        }
        System.out.printf("load: %,d keys of %d bytes in %.1f s%n", keys, valueLen, (System.nanoTime() - t0) / 1e9);
        double warm;
        try (Database db = Database.open(dir, config(cache, true))) {
            awaitWarm(db);
            for (int i = 0; i < keys; i++) {
                db.get(key(i)); // everything in memory, whatever the list held
            }
            warm = rate(db, keys, r, 3_000_000_000L);
        }
        System.out.printf("warm: %,.0f gets/s%n", warm);
        restart(dir, cache, true, keys, r, warm);
        restart(dir, cache, false, keys, r, warm);
    }

    private static void restart(Path dir, long cache, boolean on, int keys, SplittableRandom r, double warm)
            throws Exception {
        long start = System.nanoTime();
        long[] windows = new long[WINDOWS];
        long openNanos;
        WarmRestartStats w;
        try (Database db = Database.open(dir, config(cache, on))) {
            openNanos = System.nanoTime() - start;
            for (long now = System.nanoTime(); now - start < WINDOWS * WINDOW_NANOS; now = System.nanoTime()) {
                for (int i = 0; i < 64; i++) {
                    db.get(key(r.nextInt(keys)));
                }
                windows[(int) ((now - start) / WINDOW_NANOS)] += 64;
            }
            w = db.stats().warmRestart();
        }
        int first90 = -1;
        long inTwoSeconds = 0;
        for (int i = 0; i < WINDOWS; i++) {
            if (first90 < 0 && windows[i] * 1e9 / WINDOW_NANOS >= 0.9 * warm) {
                first90 = i;
            }
            if (i < 20) {
                inTwoSeconds += windows[i];
            }
        }
        System.out.printf("warm restart %s: open %d ms, 90%% of warm (%,.0f gets/s) from %s, %,d gets in the first 2 s"
                + " (warm: %,.0f), list: %d pages, %d loaded in %d ms%n", on ? "on " : "off", openNanos / 1_000_000,
                0.9 * warm, first90 < 0 ? "never in 8 s" : (first90 + 1) * 100 + " ms", inTwoSeconds, 2 * warm,
                w.listedPages(), w.loadedPages(), w.duration().toMillis());
    }

    private static double rate(Database db, int keys, SplittableRandom r, long nanos) {
        long n = 0;
        long start = System.nanoTime();
        long end = start + nanos;
        long now;
        do {
            for (int i = 0; i < 64; i++) {
                db.get(key(r.nextInt(keys)));
            }
            n += 64;
            now = System.nanoTime();
        } while (now < end);
        return n * 1e9 / (now - start);
    }

    private static void awaitWarm(Database db) throws InterruptedException {
        while (!db.stats().warmRestart().finished()) {
            Thread.sleep(10);
        }
    }

    private static LightningDbConfig config(long cache, boolean warm) {
        return LightningDbConfig.builder().cacheSize(cache).walSyncMode(WalSyncMode.ASYNC).warmRestart(warm).build();
    }

    /** 16 bytes: a 64-bit mix of the number, then the number (unique, in scattered order). */
    private static byte[] key(long i) {
        long z = (i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return ByteBuffer.allocate(16).putLong(z ^ (z >>> 31)).putLong(i).array();
    }
}
