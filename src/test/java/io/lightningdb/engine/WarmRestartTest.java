package io.lightningdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.DatabaseStats;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.WarmRestartStats;
import io.lightningdb.testing.LogCapture;
import io.lightningdb.testing.TestDirs;
import io.lightningdb.testing.WarmRestarts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The warm restart: the cache's pages listed at close come back in the background at the next
 * open (every key then read without a page fault), only into free frames, and a list that is
 * damaged, foreign or names pages the file no longer has is ignored or skipped, never an error.
 */
class WarmRestartTest {
    private static final int KEYS = 20_000;
    /** Pages an open reads itself (the root), which the loading then finds in memory already. */
    private static final int OPEN_READS = 2;

    private static LightningDbConfig config(long cacheBytes, boolean warm) {
        return LightningDbConfig.builder().pageSize(4096).cacheSize(cacheBytes).walSyncMode(WalSyncMode.ASYNC)
                .warmRestart(warm).build();
    }

    static byte[] key(int i) {
        return String.format("warm%08d", i).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] value(int i) {
        byte[] v = new byte[200];
        Arrays.fill(v, (byte) i);
        v[0] = (byte) (i >> 8);
        return v;
    }

    private static Path loaded(String name) {
        Path dir = TestDirs.fresh(name);
        try (Database db = Database.open(dir, config(64L << 20, true))) {
            for (int i = 0; i < KEYS; i++) {
                db.put(key(i), value(i));
            }
        }
        return dir;
    }

    private static long faultsReadingEveryKey(Database db) {
        long before = db.stats().pageFaults();
        for (int i = 0; i < KEYS; i++) {
            assertArrayEquals(value(i), db.get(key(i)), "key " + i);
        }
        return db.stats().pageFaults() - before;
    }

    @Test
    void theCachedPagesComeBackInTheBackgroundSoEveryKeyIsReadWithoutAFault() throws Exception {
        Path dir = loaded("warm-restart");
        assertTrue(Files.size(dir.resolve(CacheDump.FILE_NAME)) > CacheDump.HEADER_BYTES, "close lists the cached pages");
        try (Database db = Database.open(dir, config(64L << 20, true))) {
            WarmRestartStats w = WarmRestarts.await(db);
            // All but the pages the open itself read (the root) are read back.
            assertTrue(w.enabled() && w.listedPages() > 100 && w.listedPages() - w.loadedPages() <= OPEN_READS, w.toString());
            assertEquals(0, faultsReadingEveryKey(db), "every page was read back before the keys were: " + w);
        }
        try (Database db = Database.open(dir, config(64L << 20, false))) {
            WarmRestartStats w = db.stats().warmRestart();
            assertTrue(!w.enabled() && w.finished() && w.loadedPages() == 0, w.toString());
            assertTrue(faultsReadingEveryKey(db) > 100, "without it the pages come one fault at a time");
        }
        assertFalse(Files.exists(dir.resolve(CacheDump.FILE_NAME)), "a close with warmRestart off lists nothing,"
                + " and the stale list of an earlier open must not outlive the pages it named");
        TestDirs.deleteTree(dir);
    }

    @Test
    void aSmallerCacheTakesOnlyWhatFitsIntoFreeFramesAndEvictsNothing() throws Exception {
        Path dir = loaded("warm-restart-small");
        long cache = 1L << 20; // 256 pages, of the ~1,500 listed
        try (Database db = Database.open(dir, config(cache, true))) {
            WarmRestartStats w = WarmRestarts.await(db);
            DatabaseStats s = db.stats();
            assertTrue(w.listedPages() <= cache / 4096 && w.loadedPages() > 0 && w.loadedPages() <= w.listedPages(),
                    w.toString());
            assertEquals(0, s.evictions(), "the loading only fills free frames");
            faultsReadingEveryKey(db);
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aShortOpenKeepsTheListItDidNotReadBack() throws Exception {
        Path dir = TestDirs.fresh("warm-restart-short");
        int keys = 200_000;
        try (Database db = Database.open(dir, config(256L << 20, true))) {
            for (int i = 0; i < keys; i++) {
                db.put(key(i), value(i));
            }
        }
        long listed = CacheDump.read(dir, 4096, Integer.MAX_VALUE - 8).length;
        assertTrue(listed > 10_000, "the load's list: " + listed);
        // Closed at once: the loading is stopped long before its thousands of pages are in.
        Database.open(dir, config(256L << 20, true)).close();
        long kept = CacheDump.read(dir, 4096, Integer.MAX_VALUE - 8).length;
        assertTrue(kept >= listed - OPEN_READS, "the short open's list has " + kept + " of the " + listed + " pages");
        try (Database db = Database.open(dir, config(256L << 20, true))) {
            WarmRestartStats w = WarmRestarts.await(db);
            assertTrue(w.loadedPages() >= listed - 2 * OPEN_READS, "loaded after the short open: " + w);
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aDamagedForeignOrTornListIsIgnoredWithALogLine() throws Exception {
        Path dir = loaded("warm-restart-damaged");
        Path list = dir.resolve(CacheDump.FILE_NAME);
        byte[] good = Files.readAllBytes(list);
        damaged(dir, good, b -> b[CacheDump.HEADER_BYTES + 3] ^= 0x40, "CRC32C at offset 24");
        damaged(dir, good, b -> b[CacheDump.PAGE_SIZE_OFFSET + 1] = 0x20, "page size 8192 at offset 12");
        damaged(dir, good, b -> b[CacheDump.MAGIC_OFFSET] = 'X', "no cache dump magic");
        damaged(dir, Arrays.copyOf(good, good.length - 5), b -> { }, "does not match the");
        damaged(dir, Arrays.copyOf(good, 10), b -> { }, "shorter than the 32-byte header");
        TestDirs.deleteTree(dir);
    }

    private static void damaged(Path dir, byte[] good, Consumer<byte[]> damage, String said) throws Exception {
        byte[] b = good.clone();
        damage.accept(b);
        Files.write(dir.resolve(CacheDump.FILE_NAME), b);
        try (LogCapture log = new LogCapture("io.lightningdb.engine");
                Database db = Database.open(dir, config(64L << 20, true))) {
            WarmRestartStats w = WarmRestarts.await(db);
            assertEquals(0, w.loadedPages(), said + ": " + w);
            assertTrue(log.contains("ignoring the warm restart's page list") && log.contains(said), said + ": " + log.messages());
            assertTrue(log.contains(CacheDump.FILE_NAME), "the line names the file: " + log.messages());
            faultsReadingEveryKey(db);
        }
    }

    @Test
    void idsThatNameNoPageOfTheFileAreSkipped() throws Exception {
        Path dir = loaded("warm-restart-ids");
        long[] real = CacheDump.read(dir, 4096, Integer.MAX_VALUE);
        long[] ids = new long[real.length + 4];
        ids[0] = 0;
        ids[1] = -7;
        ids[2] = Long.MAX_VALUE;
        ids[3] = 1L << 40;
        System.arraycopy(real, 0, ids, 4, real.length);
        CacheDump.write(dir, 4096, ids, ids.length);
        try (Database db = Database.open(dir, config(64L << 20, true))) {
            WarmRestartStats w = WarmRestarts.await(db);
            assertEquals(ids.length, w.listedPages());
            assertTrue(real.length - w.loadedPages() <= OPEN_READS, w.toString());
            assertEquals(0, faultsReadingEveryKey(db));
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aListWhoseDataFileIsGoneIsDeletedWhenANewDatabaseIsCreated() throws Exception {
        Path dir = TestDirs.fresh("warm-restart-orphan");
        try (Database db = Database.open(dir, config(16L << 20, true))) {
            db.put(key(1), value(1));
        }
        Files.delete(dir.resolve(Database.FILE_NAME));
        TestDirs.deleteTree(dir.resolve("wal"));
        assertTrue(Files.exists(dir.resolve(CacheDump.FILE_NAME)));
        try (Database db = Database.open(dir, config(16L << 20, true))) {
            assertFalse(db.wasReopened());
            assertFalse(Files.exists(dir.resolve(CacheDump.FILE_NAME)), "the list named the lost file's pages");
            assertEquals(0, WarmRestarts.await(db).listedPages());
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void theListRoundTripsAndAFileShorterThanItsCountIsRefused() throws IOException {
        Path dir = TestDirs.fresh("cache-dump");
        assertEquals(0, CacheDump.read(dir, 4096, 10).length, "no list: nothing to do");
        long[] ids = {5, 3, 99, 1};
        CacheDump.write(dir, 4096, ids, 3);
        assertArrayEquals(new long[] {5, 3, 99}, CacheDump.read(dir, 4096, 10));
        assertArrayEquals(new long[] {5, 3}, CacheDump.read(dir, 4096, 2), "at most the cache's pages");
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(CacheDump.FILE_NAME))).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(CacheDump.COUNT_OFFSET, 4);
        Files.write(dir.resolve(CacheDump.FILE_NAME), b.array());
        IOException e = assertThrows(CacheDump.DamagedDumpException.class, () -> CacheDump.read(dir, 4096, 10));
        assertTrue(e.getMessage().contains("count 4 at offset 16 does not match the 56-byte file"), e.getMessage());
        TestDirs.deleteTree(dir);
    }
}
