package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code valueSeparationThreshold}: values from the threshold up to a page live in value pages,
 * packed end to end. The file after a random load of 1 KB values stays close to the raw bytes,
 * same-length updates overwrite in place, replacements and deletes give pages back, every size at
 * the edges reads back (after reopen too), and readers never see a torn value while writers
 * replace them.
 */
class ValueSeparationTest {
    private static final int PAGE = 4096;

    private static LightningDbConfig.Builder config() {
        return LightningDbConfig.builder().pageSize(PAGE).cacheSize(64L << 20).maxDatabaseSize(1L << 30);
    }

    /** A 16-byte key in hashed order, as users' keys arrive. */
    private static byte[] key(long i) {
        long h = i * 0x9E3779B97F4A7C15L;
        return ByteBuffer.allocate(16).putLong(h).putLong(i).array();
    }

    private static byte[] value(SplittableRandom rnd, int len) {
        byte[] v = new byte[len];
        rnd.nextBytes(v);
        return v;
    }

    /**
     * Bytes of the pages the tree holds (page ids in use, whatever slots checkpoints keep for
     * older images) over the live key and value bytes.
     */
    private static double pagesOverLive(Database db) {
        DatabaseStats s = db.stats();
        return (double) (s.pages() - s.freePages()) * PAGE / s.space().liveBytes();
    }

    private static double loadKiloByteValues(LightningDbConfig config, Path dir, int keys) {
        SplittableRandom rnd = Seeds.random("ValueSeparationTest.load");
        try (Database db = Database.open(dir, config)) {
            for (int i = 0; i < keys; i++) {
                db.put(key(i), value(rnd, 1000));
            }
            assertEquals(List.of(), db.verify());
            return pagesOverLive(db);
        }
    }

    @Test
    void aRandomLoadOfKiloByteValuesStaysCloseToTheRawBytes() {
        int keys = 30_000;
        double separated = loadKiloByteValues(config().build(), TestDirs.fresh("vsep-load"), keys);
        double inLeaves = loadKiloByteValues(config().valueSeparationThreshold(0).build(),
                TestDirs.fresh("vsep-load-off"), keys);
        System.out.printf("pages in use / live bytes after %d random 1000-byte puts: separated %.3f, in leaves %.3f%n",
                keys, separated, inLeaves);
        assertTrue(separated <= 1.15, "separated values take " + separated + "x the live bytes");
        assertTrue(inLeaves >= 1.5, "values in leaves take " + inLeaves + "x: the comparison lost its point");
    }

    @Test
    void sameLengthUpdatesOverwriteInPlaceAndOthersGiveSpaceBack() {
        SplittableRandom rnd = Seeds.random("ValueSeparationTest.updates");
        int keys = 10_000;
        try (Database db = Database.open(TestDirs.fresh("vsep-updates"), config().build())) {
            Map<Integer, byte[]> model = new TreeMap<>();
            for (int i = 0; i < keys; i++) {
                model.put(i, value(rnd, 1000));
                db.put(key(i), model.get(i));
            }
            double loaded = pagesOverLive(db);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < keys; i++) {
                    model.put(i, value(rnd, 1000));
                    db.put(key(i), model.get(i));
                }
            }
            double updated = pagesOverLive(db);
            assertTrue(updated <= loaded, "same-length updates grew the file: " + loaded + "x -> " + updated + "x");
            // Other lengths move the value: the old pieces are released and emptied pages freed.
            for (int i = 0; i < keys; i++) {
                model.put(i, value(rnd, 600 + rnd.nextInt(1400)));
                db.put(key(i), model.get(i));
            }
            for (int i = 0; i < keys; i += 2) {
                model.remove(i);
                db.delete(key(i));
            }
            assertEquals(List.of(), db.verify());
            for (Map.Entry<Integer, byte[]> e : model.entrySet()) {
                assertArrayEquals(e.getValue(), db.get(key(e.getKey())), "key " + e.getKey());
            }
            for (int i = 1; i < keys; i += 2) {
                db.delete(key(i));
            }
            DatabaseStats s = db.stats();
            long inUsePages = s.pages() - s.freePages();
            assertEquals(0, s.space().liveBytes());
            // The superblocks, an empty root leaf and the open value page: a handful.
            assertTrue(inUsePages <= 16, inUsePages + " pages in use after every key was deleted");
            assertEquals(List.of(), db.verify());
        }
    }

    @Test
    void everySizeAtTheEdgesReadsBackThroughCursorsAndReopen() {
        SplittableRandom rnd = Seeds.random("ValueSeparationTest.edges");
        Path dir = TestDirs.fresh("vsep-edges");
        int threshold = 512;
        int[] sizes = {0, 1, threshold - 1, threshold, threshold + 1, 1000, 2000, 3000, PAGE - 37, PAGE - 36, PAGE - 35,
            PAGE, 3 * PAGE, 100_000};
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        LightningDbConfig c = config().valueSeparationThreshold(threshold).build();
        try (Database db = Database.open(dir, c)) {
            // Several rounds in shuffled order, so pieces straddle pages at every offset.
            for (int round = 0; round < 40; round++) {
                for (int s : sizes) {
                    byte[] k = ("k-" + s + "-" + rnd.nextInt(20)).getBytes();
                    byte[] v = value(rnd, s);
                    model.put(k, v);
                    db.put(k, v);
                }
            }
            check(db, model);
        }
        try (Database db = Database.open(dir, c)) {
            check(db, model);
        }
        // Values stay readable when the threshold changes or separation is off.
        try (Database db = Database.open(dir, config().valueSeparationThreshold(0).build())) {
            check(db, model);
            byte[] k = model.firstKey();
            db.put(k, value(rnd, 1000));
            model.put(k, db.get(k));
            check(db, model);
        }
    }

    private static void check(Database db, TreeMap<byte[], byte[]> model) {
        assertEquals(List.of(), db.verify());
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getValue(), db.get(e.getKey()));
        }
        List<byte[]> forward = new ArrayList<>();
        try (Cursor cur = db.scan(null, null)) {
            while (cur.next()) {
                assertArrayEquals(model.get(cur.key()), cur.value(), "scan");
                forward.add(cur.key());
            }
        }
        assertEquals(model.size(), forward.size());
        int n = 0;
        try (Cursor cur = db.scanReverse(null, null)) {
            while (cur.next()) {
                assertArrayEquals(model.get(cur.key()), cur.value(), "reverse scan");
                n++;
            }
        }
        assertEquals(model.size(), n);
        assertNull(db.get("absent".getBytes()));
    }

    @Test
    void scansOverACacheSmallerThanTheValuesReadEveryValue() {
        SplittableRandom rnd = Seeds.random("ValueSeparationTest.smallCache");
        int keys = 8_000;
        Path dir = TestDirs.fresh("vsep-small-cache");
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        // 2 MiB of cache for 8 MB of values: each leaf's value pages are loaded in one batch.
        LightningDbConfig c = config().cacheSize(2L << 20).build();
        try (Database db = Database.open(dir, c)) {
            for (int i = 0; i < keys; i++) {
                byte[] v = value(rnd, 600 + rnd.nextInt(1500));
                model.put(key(i), v);
                db.put(key(i), v);
            }
        }
        try (Database db = Database.open(dir, c.toBuilder().warmRestart(false).build())) {
            check(db, model);
            assertTrue(db.stats().pageFaults() > keys / 4, "faults " + db.stats().pageFaults() + ": the values were not read from disk");
        }
    }

    @Test
    void aNegativeThresholdIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config().valueSeparationThreshold(-1).build());
        assertTrue(e.getMessage().contains("valueSeparationThreshold"), e.getMessage());
    }

    /** Every value is one byte repeated, so a copy mixing two versions shows. */
    private static byte[] uniform(int len, byte b) {
        byte[] v = new byte[len];
        Arrays.fill(v, b);
        return v;
    }

    @Test
    void readersNeverSeeATornValueWhileWritersReplaceThem() throws Exception {
        long seed = Seeds.seed("ValueSeparationTest.torn");
        int keys = 2_000;
        try (Database db = Database.open(TestDirs.fresh("vsep-torn"), config().cacheSize(16L << 20).build())) {
            for (int i = 0; i < keys; i++) {
                db.put(key(i), uniform(1000, (byte) 1));
            }
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                SplittableRandom rnd = new SplittableRandom(seed + w);
                threads.add(new Thread(() -> {
                    while (!stop.get()) {
                        int i = rnd.nextInt(keys);
                        // Mostly same-length overwrites in place; some moves to new pieces.
                        int len = rnd.nextInt(4) == 0 ? 600 + rnd.nextInt(3000) : 1000;
                        db.put(key(i), uniform(len, (byte) (2 + rnd.nextInt(250))));
                    }
                }));
            }
            SplittableRandom rr = new SplittableRandom(seed ^ 0x5DEECE66DL);
            threads.add(new Thread(() -> {
                while (!stop.get()) {
                    byte[] v = db.get(key(rr.nextInt(keys)));
                    reads.incrementAndGet();
                    if (v == null || !isUniform(v)) {
                        failures.add("get returned " + (v == null ? "null" : "a torn value of " + v.length + " bytes"));
                    }
                    if (rr.nextInt(64) == 0) {
                        try (Cursor cur = db.scan(key(rr.nextInt(keys)), null)) {
                            for (int n = 0; n < 50 && cur.next(); n++) {
                                if (!isUniform(cur.value())) {
                                    failures.add("scan returned a torn value of " + cur.value().length + " bytes");
                                }
                            }
                        }
                    }
                }
            }));
            threads.forEach(Thread::start);
            Thread.sleep(2_000);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), "seed " + seed + ": " + failures.size() + " failures, first: " + failures.peek());
            assertTrue(reads.get() > 1_000, "only " + reads.get() + " reads ran");
            assertEquals(List.of(), db.verify());
        }
    }

    private static boolean isUniform(byte[] v) {
        for (byte b : v) {
            if (b != v[0]) {
                return false;
            }
        }
        return v.length > 0;
    }
}
