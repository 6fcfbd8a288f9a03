package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code readAheadPages}: a scan of a cold database loads the leaves ahead of it in batches once it
 * has gone from leaf to leaf twice, forward and reverse; never past the scan's end key; and not at
 * all when off. {@code prefetchDistance}: the workers keep that many leaves requested ahead of a
 * forward scan, live with {@code setPrefetchDistance}, and a close while they load is clean. Counted by the pages read from the file ({@code stats().pageFaults()}) after the
 * same scan of a freshly opened database. Under concurrent writers, merges and eviction the scans
 * are checked by {@link MergeStressTest}, which runs with read-ahead on.
 */
class ReadAheadTest {
    private static final int KEYS = 60_000;
    /**
     * Entries a partial scan takes: about 40 leaves of about 30 entries, midway through the third
     * batch (leaves 3-10, 11-26, 27-58), so about 18 leaves are loaded ahead of the scan.
     */
    private static final int TAKEN = 1200;
    private static Path dir;

    static byte[] key(int i) {
        // Hashed order, as users load: leaves about two thirds full.
        return ByteBuffer.allocate(8).putLong(Long.reverse(i * 0x9E3779B97F4A7C15L)).array();
    }

    @BeforeAll
    static void load() {
        dir = TestDirs.fresh("read-ahead");
        try (Database db = Database.open(dir, config(0))) {
            for (int i = 0; i < KEYS; i++) {
                db.put(key(i), new byte[100]);
            }
        }
    }

    @AfterAll
    static void cleanUp() throws java.io.IOException {
        TestDirs.deleteTree(dir);
    }

    /** Read-ahead alone: the prefetch workers' distance 0, so what is loaded is the read-ahead's. */
    private static LightningDbConfig config(int readAhead) {
        return config(readAhead, 0);
    }

    private static LightningDbConfig config(int readAhead, int prefetchDistance) {
        return LightningDbConfig.builder().pageSize(4096).cacheSize(64L << 20).warmRestart(false)
                .walSyncMode(WalSyncMode.ASYNC).readAheadPages(readAhead).prefetchDistance(prefetchDistance).build();
    }

    /** Page reads, once the prefetch workers have been quiet for 200 ms. */
    private static long settledFaults(Database db) {
        long last = db.stats().pageFaults();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            long now = db.stats().pageFaults();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** Pages read from the file by {@code scan} on a database opened cold with {@code readAhead}. */
    private static long pagesRead(int readAhead, ToLongFunction<Database> scan) {
        try (Database db = Database.open(dir, config(readAhead))) {
            long before = db.stats().pageFaults();
            long entries = scan.applyAsLong(db);
            assertTrue(entries > 0, "the scan saw nothing");
            return db.stats().pageFaults() - before;
        }
    }

    private static long take(Cursor c, int n) {
        long seen = 0;
        byte[] prev = null;
        try (c) {
            while (seen < n && c.next()) {
                prev = c.key();
                seen++;
            }
        }
        return prev == null ? 0 : seen;
    }

    @Test
    void aForwardScanLoadsTheLeavesAheadOfItInBatches() {
        long off = pagesRead(0, db -> take(db.scan(null, null), TAKEN));
        long on = pagesRead(64, db -> take(db.scan(null, null), TAKEN));
        System.out.printf("forward, %d entries: %d pages read without read-ahead, %d with%n", TAKEN, off, on);
        assertTrue(on >= off + 8, "read-ahead loaded " + on + " pages, without it " + off);
    }

    @Test
    void aReverseScanLoadsTheLeavesBeforeItInBatches() {
        long off = pagesRead(0, db -> take(db.scanReverse(null, null), TAKEN));
        long on = pagesRead(64, db -> take(db.scanReverse(null, null), TAKEN));
        System.out.printf("reverse, %d entries: %d pages read without read-ahead, %d with%n", TAKEN, off, on);
        assertTrue(on >= off + 8, "read-ahead loaded " + on + " pages, without it " + off);
    }

    @Test
    void nothingPastTheScansEndKeyIsLoaded() {
        // The end key of the first TAKEN entries in key order.
        byte[] end;
        try (Database db = Database.open(dir, config(0)); Cursor c = db.scan(null, null)) {
            for (int i = 0; i < TAKEN; i++) {
                assertTrue(c.next());
            }
            end = c.key();
        }
        long off = pagesRead(0, db -> take(db.scan(null, end), Integer.MAX_VALUE));
        long on = pagesRead(64, db -> take(db.scan(null, end), Integer.MAX_VALUE));
        System.out.printf("bounded scan: %d pages read without read-ahead, %d with%n", off, on);
        assertTrue(on <= off + 1, "read-ahead went past the end key: " + on + " pages against " + off);
        assertTrue(on >= off - 1, "the same leaves are needed either way: " + on + " against " + off);
    }

    @Test
    void aFullScanReadsEveryEntryWithReadAheadOnOrOff() {
        long[] counts = new long[2];
        for (int i = 0; i < 2; i++) {
            int readAhead = i == 0 ? 0 : 64;
            try (Database db = Database.open(dir, config(readAhead))) {
                counts[i] = take(db.scan(null, null), Integer.MAX_VALUE) + take(db.scanReverse(null, null), Integer.MAX_VALUE);
            }
        }
        assertEquals(2L * KEYS, counts[0]);
        assertEquals(2L * KEYS, counts[1]);
    }

    /**
     * Pages read by a cold partial scan of {@link #TAKEN} entries, once the workers are done. The
     * scan pauses 2 ms about once a leaf, as an application doing work per entry would, so the
     * workers keep up with it and what they load does not depend on how fast they start.
     */
    private static long partialScan(Database db) {
        long before = db.stats().pageFaults();
        try (Cursor c = db.scan(null, null)) {
            for (int i = 0; i < TAKEN; i++) {
                assertTrue(c.next());
                if (i % 25 == 0) {
                    Thread.sleep(2);
                }
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return settledFaults(db) - before;
    }

    @Test
    void prefetchWorkersKeepTheDistanceRequestedAheadOfTheScan() {
        long readAheadOnly;
        try (Database db = Database.open(dir, config(64, 0))) {
            readAheadOnly = partialScan(db);
        }
        long prefetched;
        try (Database db = Database.open(dir, config(64, 128))) {
            prefetched = partialScan(db);
        }
        System.out.printf("forward, %d entries: %d pages with read-ahead alone, %d with a prefetch distance of 128%n",
                TAKEN, readAheadOnly, prefetched);
        // About 40 leaves read; the workers keep 64-128 more requested beyond the scan.
        assertTrue(prefetched >= readAheadOnly + 40, prefetched + " pages against " + readAheadOnly);
    }

    @Test
    void setPrefetchDistanceChangesALiveDatabaseAndIsRefusedWithoutWorkers() {
        long off;
        try (Database db = Database.open(dir, config(64, 128))) {
            db.setPrefetchDistance(0);
            off = partialScan(db);
        }
        long on;
        try (Database db = Database.open(dir, config(64, 0))) {
            db.setPrefetchDistance(128);
            on = partialScan(db);
        }
        System.out.printf("setPrefetchDistance: %d pages at 0, %d at 128%n", off, on);
        assertTrue(on >= off + 40, on + " pages against " + off);
        try (Database db = Database.open(dir, LightningDbConfig.builder().cacheSize(64L << 20).prefetchEnabled(false).build())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.setPrefetchDistance(64));
            assertTrue(e.getMessage().contains("prefetchEnabled is off"), e.getMessage());
            assertEquals(KEYS, take(db.scan(null, null), Integer.MAX_VALUE), "scans work without workers");
        }
        try (Database db = Database.open(dir, config(64, 128))) {
            assertThrows(IllegalArgumentException.class, () -> db.setPrefetchDistance(-1));
            assertThrows(IllegalArgumentException.class, () -> db.setPrefetchDistance(4097));
        }
    }

    @Test
    void aCloseWhileWorkersLoadIsClean() {
        for (int i = 0; i < 20; i++) {
            try (Database db = Database.open(dir, config(64, 512))) {
                assertEquals(300, take(db.scan(null, null), 300));
            }
        }
        try (Database db = Database.open(dir, config(64, 512))) {
            assertEquals(KEYS, take(db.scan(null, null), Integer.MAX_VALUE));
            assertEquals(java.util.List.of(), db.verify());
        }
    }

    @Test
    void theBoundIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LightningDbConfig.builder().readAheadPages(4097).build());
        assertTrue(e.getMessage().contains("readAheadPages must be in [0, 4096]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LightningDbConfig.builder().readAheadPages(-1).build());
        assertEquals(64, LightningDbConfig.defaults().readAheadPages());
        assertThrows(IllegalArgumentException.class, () -> LightningDbConfig.builder().prefetchDistance(4097).build());
        assertThrows(IllegalArgumentException.class, () -> LightningDbConfig.builder().prefetchWorkers(0).build());
        assertEquals(64, LightningDbConfig.defaults().prefetchDistance());
        assertTrue(LightningDbConfig.defaults().prefetchEnabled());
    }
}
