package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Plain writers run side by side ({@code maxConcurrentWriters}), and transactions opened among
 * them keep their guarantees: snapshots see batches whole, commits see every plain write before
 * them, and after a reopen every key holds its last value.
 */
class ConcurrentWritersTest {
    private static byte[] key(int writer, int n) {
        return ByteBuffer.allocate(8).putInt(writer).putInt(Integer.reverse(n)).array();
    }

    /** Two writers on disjoint keys until both were applying at once (or 30 s pass). */
    private static int peakOfTwoWriters(Database db, int each) throws Exception {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int n = 0; n < each; n++) {
                        db.put(key(writer, n), key(writer, n));
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), failures::toString);
        for (int w = 0; w < 2; w++) {
            for (int n = 0; n < each; n += 97) {
                assertArrayEquals(key(w, n), db.get(key(w, n)));
            }
        }
        assertEquals(List.of(), db.verify());
        return db.stats().writers().peakConcurrentWriters();
    }

    @Test
    void twoWritersOnDisjointKeysRunAtOnce() throws Exception {
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).build();
        try (Database db = Database.open(TestDirs.fresh("writers-two"), cfg)) {
            int peak = 0;
            for (int round = 0; round < 30 && peak < 2; round++) {
                peak = peakOfTwoWriters(db, 50_000);
            }
            assertEquals(2, peak, "two plain writers were never applying at the same time");
            WriterStats w = db.stats().writers();
            assertEquals(8, w.maxConcurrentWriters());
            assertEquals(0, w.alone(), "no transaction was open: every write ran side by side");
            assertTrue(w.sideBySide() >= 100_000, w.toString());
        }
    }

    @Test
    void oneConcurrentWriterMakesWritesOneAtATime() throws Exception {
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).maxConcurrentWriters(1).build();
        try (Database db = Database.open(TestDirs.fresh("writers-one"), cfg)) {
            assertEquals(1, peakOfTwoWriters(db, 50_000));
        }
    }

    @Test
    void theLimitIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LightningDbConfig.builder().maxConcurrentWriters(0).build());
        assertTrue(e.getMessage().contains("maxConcurrentWriters must be in [1, 1024], got 0"), e.getMessage());
    }

    /**
     * Two batch writers keep pairs (a, b) equal; snapshot readers and multiGet must never see a
     * pair torn; committing transactions increment a counter that plain writers never touch;
     * after a reopen every pair is equal and the counter holds every commit.
     */
    @Test
    void snapshotsAndCommitsAmongPlainWriters() throws Exception {
        long seed = Seeds.seed("ConcurrentWritersTest.snapshotsAndCommitsAmongPlainWriters");
        Path dir = TestDirs.fresh("writers-mixed");
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).maxWalSize(2L << 20).build();
        int pairs = 2000;
        byte[] counter = "counter".getBytes();
        int commits;
        try (Database db = Database.open(dir, cfg)) {
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                SplittableRandom rnd = new SplittableRandom(seed + w);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            WriteBatch b = db.newWriteBatch();
                            for (int i = 0; i < 8; i++) {
                                int p = rnd.nextInt(pairs);
                                byte[] v = ByteBuffer.allocate(8).putLong(rnd.nextLong()).array();
                                b.put(key(1, p), v);
                                b.put(key(2, p), v);
                            }
                            db.write(b);
                            db.put(key(3, rnd.nextInt(pairs)), new byte[rnd.nextInt(200)]);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            SplittableRandom rnd = new SplittableRandom(seed + 10);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        int p = rnd.nextInt(pairs);
                        List<byte[]> got = db.multiGet(List.of(key(1, p), key(2, p)));
                        checkPair(p, got.get(0), got.get(1), "multiGet");
                        try (Transaction tx = db.beginReadOnly()) {
                            checkPair(p, tx.get(key(1, p)), tx.get(key(2, p)), "snapshot");
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
            long deadline = System.currentTimeMillis() + 2000;
            commits = 0;
            while (System.currentTimeMillis() < deadline) {
                db.inTransaction(tx -> {
                    byte[] c = tx.get(counter);
                    long n = c == null ? 0 : ByteBuffer.wrap(c).getLong();
                    tx.put(counter, ByteBuffer.allocate(8).putLong(n + 1).array());
                });
                commits++;
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "seed " + seed + ": " + failures);
            WriterStats w = db.stats().writers();
            System.out.println("ConcurrentWritersTest: " + commits + " commits, " + w);
            assertTrue(w.sideBySide() > 0 && w.alone() >= commits, w.toString());
        }
        try (Database db = Database.open(dir, cfg)) {
            assertEquals(List.of(), db.verify());
            for (int p = 0; p < pairs; p++) {
                checkPair(p, db.get(key(1, p)), db.get(key(2, p)), "after reopen");
            }
            assertEquals(commits, ByteBuffer.wrap(db.get(counter)).getLong(), "every commit survived");
        }
    }

    private static void checkPair(int p, byte[] a, byte[] b, String how) {
        if (a == null ? b != null : !java.util.Arrays.equals(a, b)) {
            throw new AssertionError(how + " saw pair " + p + " torn");
        }
    }
}
