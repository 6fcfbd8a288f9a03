package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link Database#parallelScan} and {@link Database#parallelScanSegments}: in key order they hand
 * over exactly what a cursor returns; in any order exactly the same entries, from several threads;
 * bounds, failures, the knobs, and writers running meanwhile.
 */
class ParallelScanTest {
    private static final int KEYS = 100_000;
    private static Path dir;

    static byte[] key(int i) {
        return ByteBuffer.allocate(8).putLong(Long.reverse(i * 0x9E3779B97F4A7C15L)).array();
    }

    static byte[] value(int i) {
        return ByteBuffer.allocate(12).putInt(i).putLong(~(long) i).array();
    }

    @BeforeAll
    static void load() {
        dir = TestDirs.fresh("parallel-scan");
        try (Database db = Database.open(dir, config(2, true))) {
            for (int i = 0; i < KEYS; i++) {
                db.put(key(i), value(i));
            }
        }
    }

    @AfterAll
    static void cleanUp() throws java.io.IOException {
        TestDirs.deleteTree(dir);
    }

    /** Small parts (1,000 entries), so a range is cut into many. */
    private static LightningDbConfig config(int threads, boolean parallel) {
        return LightningDbConfig.builder().cacheSize(64L << 20).walSyncMode(WalSyncMode.ASYNC).scanThreads(threads)
                .scanBatchSize(1_000).enableParallelScan(parallel).build();
    }

    private static List<byte[]> cursor(Database db, byte[] from, byte[] to) {
        List<byte[]> keys = new ArrayList<>();
        try (Cursor c = db.scan(from, to)) {
            while (c.next()) {
                keys.add(c.key());
            }
        }
        return keys;
    }

    @Test
    void keyOrderHandsOverWhatACursorReturnsOnTheCallingThread() {
        long seed = Seeds.seed("ParallelScanTest.keyOrder");
        SplittableRandom r = new SplittableRandom(seed);
        try (Database db = Database.open(dir, config(2, true))) {
            for (int round = 0; round < 6; round++) {
                byte[] from = round == 0 ? null : key(r.nextInt(KEYS));
                byte[] to = round <= 1 ? null : key(r.nextInt(KEYS));
                List<byte[]> expected = cursor(db, from, to);
                List<byte[]> got = new ArrayList<>();
                Thread caller = Thread.currentThread();
                long n = db.parallelScan(from, to, ScanOrder.KEY_ORDER, (k, v) -> {
                    assertSame(caller, Thread.currentThread());
                    assertArrayEquals(value(indexOf(v)), v);
                    got.add(k);
                });
                assertEquals(expected.size(), n, "seed " + seed + " round " + round);
                assertEquals(expected.size(), got.size(), "seed " + seed + " round " + round);
                for (int i = 0; i < got.size(); i++) {
                    assertArrayEquals(expected.get(i), got.get(i), "seed " + seed + " round " + round + " entry " + i);
                }
            }
        }
    }

    private static int indexOf(byte[] v) {
        return ByteBuffer.wrap(v).getInt(0);
    }

    @Test
    void anyOrderHandsOverTheSameEntriesFromSeveralThreads() {
        try (Database db = Database.open(dir, config(2, true))) {
            Set<String> threads = ConcurrentHashMap.newKeySet();
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            AtomicBoolean slowed = new AtomicBoolean();
            Thread caller = Thread.currentThread();
            long n = db.parallelScan(null, null, ScanOrder.ANY_ORDER, (k, v) -> {
                threads.add(Thread.currentThread().getName());
                int i = indexOf(v);
                assertArrayEquals(key(i), k);
                assertTrue(seen.add(i), "entry " + i + " handed over twice");
                // The caller's first entry waits, so the scan thread surely takes parts too.
                if (Thread.currentThread() == caller && slowed.compareAndSet(false, true)) {
                    sleep(100);
                }
            });
            assertEquals(KEYS, n);
            assertEquals(KEYS, seen.size());
            assertTrue(threads.size() >= 2, "read by " + threads);
        }
    }

    @Test
    void segmentsHandOverTheSameEntriesInBothOrders() {
        try (Database db = Database.open(dir, config(2, true))) {
            byte[] from = key(7);
            List<byte[]> expected = cursor(db, from, null);
            List<byte[]> inOrder = new ArrayList<>();
            long n = db.parallelScanSegments(from, null, ScanOrder.KEY_ORDER, (k, v) -> {
                byte[] key = k.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                assertArrayEquals(value(indexOf(v.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))),
                        v.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                inOrder.add(key);
            });
            assertEquals(expected.size(), n);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), inOrder.get(i), "entry " + i);
            }
            Set<Integer> seen = ConcurrentHashMap.newKeySet();
            long m = db.parallelScanSegments(from, null, ScanOrder.ANY_ORDER, (k, v) -> {
                int i = v.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0);
                assertArrayEquals(key(i), k.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                assertTrue(seen.add(i), "entry " + i + " twice");
            });
            assertEquals(expected.size(), m);
            assertEquals(expected.size(), seen.size());
        }
    }

    @Test
    void offOrOneThreadTheCallerReadsAlone() {
        for (LightningDbConfig c : List.of(config(2, false), config(1, true))) {
            try (Database db = Database.open(dir, c)) {
                Thread caller = Thread.currentThread();
                AtomicInteger others = new AtomicInteger();
                long n = db.parallelScan(key(1), null, ScanOrder.ANY_ORDER, (k, v) -> {
                    if (Thread.currentThread() != caller) {
                        others.incrementAndGet();
                    }
                });
                assertEquals(cursor(db, key(1), null).size(), n);
                assertEquals(0, others.get(), c.enableParallelScan() + ", " + c.scanThreads() + " threads");
            }
        }
    }

    @Test
    void anActionsExceptionEndsTheScanAndIsRethrownAndTheNextScanWorks() {
        try (Database db = Database.open(dir, config(2, true))) {
            for (ScanOrder order : ScanOrder.values()) {
                AtomicInteger calls = new AtomicInteger();
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> db.parallelScan(null, null, order, (k, v) -> {
                            if (calls.incrementAndGet() == 5_000) {
                                throw new IllegalStateException("stop here");
                            }
                        }));
                assertEquals("stop here", e.getMessage());
                assertTrue(calls.get() < KEYS, order + ": the scan went on after the failure: " + calls);
                assertEquals(KEYS, db.parallelScan(null, null, order, (k, v) -> { }), order + " after a failure");
            }
        }
    }

    @Test
    void writersMeanwhileNeverHideAnEntryTheyDoNotTouch() throws Exception {
        long seed = Seeds.seed("ParallelScanTest.writers");
        Path d = TestDirs.fresh("parallel-scan-writers");
        try (Database db = Database.open(d, config(2, true))) {
            for (int i = 0; i < 40_000; i++) {
                db.put(key(i), value(i));
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Throwable> failures = new ArrayList<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                try {
                    while (!stop.get()) {
                        // Keys 40,000 and up come and go; those below stay.
                        int i = 40_000 + r.nextInt(40_000);
                        if (r.nextBoolean()) {
                            db.put(key(i), value(i));
                        } else {
                            db.delete(key(i));
                        }
                    }
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            });
            try {
                for (int round = 0; round < 10; round++) {
                    Set<Integer> stable = new HashSet<>();
                    byte[][] prev = {null};
                    db.parallelScan(null, null, ScanOrder.KEY_ORDER, (k, v) -> {
                        if (prev[0] != null) {
                            assertTrue(Arrays.compareUnsigned(prev[0], k) < 0, "seed " + seed + ": out of order");
                        }
                        prev[0] = k;
                        int i = indexOf(v);
                        assertArrayEquals(key(i), k);
                        if (i < 40_000) {
                            stable.add(i);
                        }
                    });
                    assertEquals(40_000, stable.size(), "seed " + seed + " round " + round);
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            assertTrue(failures.isEmpty(), failures.toString());
        }
        TestDirs.deleteTree(d);
    }

    @Test
    void theKnobsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> LightningDbConfig.builder().scanThreads(0).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LightningDbConfig.builder().scanBatchSize(10).build());
        assertTrue(e.getMessage().contains("scanBatchSize must be in [1000, 100000000]"), e.getMessage());
        assertEquals(Math.min(256, Runtime.getRuntime().availableProcessors()), LightningDbConfig.defaults().scanThreads());
        assertTrue(LightningDbConfig.defaults().enableParallelScan());
        assertEquals(100_000, LightningDbConfig.defaults().scanBatchSize());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
