package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The transaction knobs do what they say: active limit, retries, version memory, and their checks. */
class TransactionLimitsTest {
    static byte[] b(String s) {
        return s.getBytes();
    }

    static LightningDbConfig.Builder async() {
        return LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC);
    }

    @Test
    void beginWaitsForASlotThenThrowsAndNeverDeadlocks() throws Exception {
        LightningDbConfig c = async().maxActiveTransactions(2).transactionWaitTimeout(Duration.ofMillis(100)).build();
        try (Database db = Database.open(TestDirs.fresh("txn-limit"), c)) {
            Transaction a = db.begin();
            Transaction b = db.beginReadOnly();
            long t0 = System.nanoTime();
            TooManyTransactionsException e = assertThrows(TooManyTransactionsException.class, db::begin);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waitedMs >= 90, "waited " + waitedMs + " ms, the timeout is 100 ms");
            assertTrue(e.getMessage().contains("maxActiveTransactions") && e.getMessage().contains("2"), e.getMessage());
            // A begin that is waiting gets the slot as soon as one closes.
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<Transaction> got = new AtomicReference<>();
            LightningDbConfig waitLong = c; // 100 ms is enough: we close within it
            Thread waiter = Thread.ofPlatform().start(() -> {
                started.countDown();
                got.set(db.begin());
            });
            started.await();
            Thread.sleep(20);
            a.close();
            waiter.join(5000);
            assertNotNull(got.get(), "the waiting begin got the freed slot (" + waitLong.maxActiveTransactions() + ")");
            got.get().close();
            b.close();
            assertEquals(0, db.stats().transactions().active());
            // Slots come back after commits, refused commits and rollbacks alike: no leak.
            for (int i = 0; i < 10; i++) {
                try (Transaction t = db.begin()) {
                    t.put(b("k"), b("v" + i));
                    if (i % 2 == 0) {
                        t.commit();
                    }
                }
            }
            assertEquals(0, db.stats().transactions().active());
        }
    }

    @Test
    void inTransactionRetriesConflictsUpToTheLimit() {
        LightningDbConfig c = async().conflictRetryLimit(3).conflictRetryDelay(Duration.ofMillis(2)).build();
        try (Database db = Database.open(TestDirs.fresh("txn-retry"), c)) {
            db.put(b("n"), b("0"));
            AtomicInteger runs = new AtomicInteger();
            // The first two runs are overtaken by a plain write to the key they update; the third commits.
            String result = db.callInTransaction(tx -> {
                int run = runs.incrementAndGet();
                int n = Integer.parseInt(new String(tx.get(b("n"))));
                if (run <= 2) {
                    db.put(b("n"), b(Integer.toString(n + 100)));
                }
                tx.put(b("n"), b(Integer.toString(n + 1)));
                return "run " + run;
            });
            assertEquals("run 3", result);
            assertEquals("201", new String(db.get(b("n"))), "0 +100 +100 (overtaking writes) +1 (the committed run)");
            assertEquals(2, db.stats().transactions().retries());

            runs.set(0);
            long t0 = System.nanoTime();
            TransactionConflictException e = assertThrows(TransactionConflictException.class, () -> db.inTransaction(tx -> {
                runs.incrementAndGet();
                tx.get(b("n"));
                db.put(b("n"), b("x"));
                tx.put(b("n"), b("y"));
            }));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(4, runs.get(), "one run and conflictRetryLimit (3) re-runs");
            assertEquals(4, e.attempts());
            assertArrayEquals(b("n"), e.key());
            assertTrue(e.getMessage().contains("gave up after 4 attempts") && e.getMessage().contains("conflictRetryLimit 3"),
                    e.getMessage());
            // Delays of about 2, 4 and 8 ms, each jittered to at least half: at least 7 ms in all.
            assertTrue(ms >= 7, "retries waited " + ms + " ms");
            assertEquals("x", new String(db.get(b("n"))));
        }
    }

    @Test
    void otherExceptionsRollBackAndAreNotRetried() {
        try (Database db = Database.open(TestDirs.fresh("txn-throw"), async().build())) {
            AtomicInteger runs = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.inTransaction(tx -> {
                runs.incrementAndGet();
                tx.put(b("half"), b("done"));
                throw new IllegalStateException("application failure");
            }));
            assertEquals("application failure", e.getMessage());
            assertEquals(1, runs.get());
            assertNull(db.get(b("half")));
            assertEquals(0, db.stats().transactions().active());
        }
    }

    @Test
    void aReaderLeftOpenIsAbortedWhenItsVersionsOutgrowTheLimit() {
        LightningDbConfig c = async().maxVersionMemory(256 << 10).build();
        try (Database db = Database.open(TestDirs.fresh("txn-versions"), c)) {
            byte[] value = new byte[1000];
            for (int i = 0; i < 100; i++) {
                db.put(b("key" + i), value);
            }
            Transaction old = db.beginReadOnly();
            assertArrayEquals(value, old.get(b("key1")));
            byte[] newer = new byte[1000];
            newer[0] = 1;
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 100; i++) {
                    db.put(b("key" + i), newer);
                }
            }
            TransactionStats t = db.stats().transactions();
            assertEquals(1, t.snapshotsTooOld(), t.toString());
            assertTrue(t.versionBytes() <= 256 << 10, "versions bounded: " + t);
            SnapshotTooOldException e = assertThrows(SnapshotTooOldException.class, () -> old.get(b("key1")));
            assertTrue(e.getMessage().contains("maxVersionMemory") && e.getMessage().contains("262144"), e.getMessage());
            old.close();
            assertEquals(0, db.stats().transactions().versionCount());
            assertEquals(0, db.stats().transactions().active());
        }
    }

    @Test
    void aLongReaderShowsInStatsAndItsVersionsGoWhenItCloses() throws Exception {
        try (Database db = Database.open(TestDirs.fresh("txn-age"), async().build())) {
            db.put(b("a"), b("1"));
            Transaction reader = db.beginReadOnly();
            Thread.sleep(30);
            db.put(b("a"), b("2"));
            db.delete(b("a"));
            TransactionStats t = db.stats().transactions();
            assertEquals(1, t.active());
            assertTrue(t.oldestSnapshotAge().toMillis() >= 30, t.toString());
            assertEquals(2, t.versionCount(), "two writes after the snapshot, two old versions");
            assertTrue(t.versionBytes() > 0);
            assertEquals("1", new String(reader.get(b("a"))));
            reader.close();
            t = db.stats().transactions();
            assertEquals(0, t.versionCount());
            assertEquals(0, t.versionBytes());
            assertEquals(Duration.ZERO, t.oldestSnapshotAge());
            assertEquals(1, t.readOnly());
        }
    }

    /**
     * Snapshots that open while writes run with no snapshot open (so those writes keep no old
     * versions) must still never see a batch half-applied: both keys of a pair always agree.
     */
    @Test
    void snapshotsOpeningDuringUnversionedWritesAreConsistent() throws Exception {
        long seed = Seeds.seed("snapshotsOpeningDuringUnversionedWritesAreConsistent");
        try (Database db = Database.open(TestDirs.fresh("txn-handshake"), async().build())) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                for (long i = 0; !stop.get(); i++) {
                    byte[] v = ByteBuffer.allocate(8).putLong(i).array();
                    WriteBatch batch = db.newWriteBatch();
                    batch.put(b("pair/a"), v).put(b("pair/b"), v);
                    for (int k = r.nextInt(4); k > 0; k--) {
                        batch.put(b("noise/" + r.nextInt(1000)), v); // varies how long the batch takes
                    }
                    db.write(batch);
                }
            });
            List<Thread> readers = new ArrayList<>();
            AtomicInteger checks = new AtomicInteger();
            for (int t = 0; t < 2; t++) {
                readers.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (checks.get() < 40_000) {
                            try (Transaction tx = db.beginReadOnly()) {
                                byte[] a = tx.get(b("pair/a"));
                                Thread.onSpinWait();
                                byte[] bb = tx.get(b("pair/b"));
                                if (a != null || bb != null) {
                                    assertArrayEquals(a, bb, "a snapshot saw half a batch (seed " + seed + ")");
                                }
                            }
                            checks.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Thread t : readers) {
                t.join();
            }
            stop.set(true);
            writer.join();
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            assertEquals(0, db.stats().transactions().versionCount());
        }
    }

    @Test
    void knobsAreCheckedAtBuildWithTheirNames() {
        assertMessage(() -> LightningDbConfig.builder().maxActiveTransactions(0).build(), "maxActiveTransactions");
        assertMessage(() -> LightningDbConfig.builder().conflictRetryLimit(-1).build(), "conflictRetryLimit");
        assertMessage(() -> LightningDbConfig.builder().conflictRetryDelay(Duration.ofSeconds(11)).build(),
                "conflictRetryDelay");
        assertMessage(() -> LightningDbConfig.builder().transactionWaitTimeout(Duration.ofMillis(-1)).build(),
                "transactionWaitTimeout");
        assertMessage(() -> LightningDbConfig.builder().maxVersionMemory(1000).build(), "maxVersionMemory");
        LightningDbConfig c = LightningDbConfig.builder().maxActiveTransactions(7).conflictRetryLimit(9)
                .conflictRetryDelay(Duration.ofMillis(3)).transactionWaitTimeout(Duration.ofSeconds(2))
                .maxVersionMemory(1L << 30).build().toBuilder().build();
        assertEquals(7, c.maxActiveTransactions());
        assertEquals(9, c.conflictRetryLimit());
        assertEquals(Duration.ofMillis(3), c.conflictRetryDelay());
        assertEquals(Duration.ofSeconds(2), c.transactionWaitTimeout());
        assertEquals(1L << 30, c.maxVersionMemory());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable build, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().contains(field) && e.getMessage().contains("must be in"), e.getMessage());
    }
}
