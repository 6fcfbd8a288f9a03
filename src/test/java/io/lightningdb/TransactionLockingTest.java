package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code getForUpdate} and {@code optimisticLocking}: optimistic transactions find a rival's
 * update at commit; pessimistic ones wait for its lock and then read its value, so both commit;
 * deadlocks and long holders fail fast or at the timeout, and locks go with the transaction.
 */
class TransactionLockingTest {
    static byte[] b(String s) {
        return s.getBytes();
    }

    static Database open(String name, boolean optimistic, Duration wait) {
        return Database.open(TestDirs.fresh(name), LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC)
                .optimisticLocking(optimistic).transactionWaitTimeout(wait).build());
    }

    /** t1 reads the counter for update; t2 does too, from another thread, while t1 is open; t1 commits. */
    /**
     * t1 reads the counter for update, t2 increments it meanwhile, then t1 increments it. With
     * {@code secondFirst} t1 waits for t2 to finish (optimistic: t2 takes no lock, so it must
     * commit first); else t1 gives t2 50 ms to start waiting for t1's lock (pessimistic).
     */
    private static String twoIncrements(Database db, boolean secondFirst) throws Exception {
        db.put(b("counter"), b("0"));
        Transaction t1 = db.begin();
        int v1 = Integer.parseInt(new String(t1.getForUpdate(b("counter"))));
        CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> {
            try (Transaction t2 = db.begin()) {
                int v2 = Integer.parseInt(new String(t2.getForUpdate(b("counter"))));
                t2.put(b("counter"), b(Integer.toString(v2 + 1)));
                t2.commit();
                return "committed";
            } catch (TransactionConflictException e) {
                return "conflict";
            }
        });
        if (secondFirst) {
            second.get(10, TimeUnit.SECONDS);
        } else {
            Thread.sleep(50);
        }
        String first;
        try (t1) {
            t1.put(b("counter"), b(Integer.toString(v1 + 1)));
            t1.commit();
            first = "committed";
        } catch (TransactionConflictException e) {
            first = "conflict";
        }
        return "t1 " + first + ", t2 " + second.get(10, TimeUnit.SECONDS) + ", counter=" + new String(db.get(b("counter")));
    }

    @Test
    void optimisticRivalsFailAtCommitPessimisticOnesWaitAndBothCommit() throws Exception {
        try (Database db = open("txn-optimistic", true, Duration.ofSeconds(5))) {
            assertEquals("t1 conflict, t2 committed, counter=1", twoIncrements(db, true),
                    "t2 did not wait: it committed first, and t1's read became stale");
        }
        try (Database db = open("txn-pessimistic", false, Duration.ofSeconds(5))) {
            assertEquals("t1 committed, t2 committed, counter=2", twoIncrements(db, false),
                    "t2 waited for t1's lock, then read t1's value");
            assertEquals(0, db.stats().transactions().conflicts());
        }
    }

    @Test
    void hotCounterUnderPessimisticLockingNeedsNoRetries() throws Exception {
        try (Database db = open("txn-hot", false, Duration.ofSeconds(5))) {
            db.put(b("hot"), b("0"));
            AtomicInteger done = new AtomicInteger();
            Runnable work = () -> {
                for (int i = 0; i < 300; i++) {
                    db.inTransaction(tx -> tx.put(b("hot"),
                            b(Integer.toString(Integer.parseInt(new String(tx.getForUpdate(b("hot")))) + 1))));
                    done.incrementAndGet();
                }
            };
            Thread a = Thread.ofPlatform().start(work);
            Thread c = Thread.ofPlatform().start(work);
            a.join();
            c.join();
            assertEquals(600, done.get());
            assertEquals("600", new String(db.get(b("hot"))));
            TransactionStats t = db.stats().transactions();
            assertEquals(0, t.conflicts(), t.toString());
            assertEquals(0, t.retries(), t.toString());
        }
    }

    @Test
    void aDeadlockFailsAtOnceAndALongHolderAtTheTimeout() throws Exception {
        try (Database db = open("txn-deadlock", false, Duration.ofSeconds(20))) {
            Transaction t1 = db.begin();
            Transaction t2 = db.begin();
            t1.put(b("a"), b("1"));
            t2.put(b("b"), b("2"));
            CompletableFuture<Void> t1WaitsForB = CompletableFuture.runAsync(() -> t1.put(b("b"), b("1")));
            Thread.sleep(50);
            long t0 = System.nanoTime();
            TransactionConflictException e = assertThrows(TransactionConflictException.class, () -> t2.put(b("a"), b("2")));
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "detected, not timed out");
            assertTrue(e.getMessage().contains("deadlock"), e.getMessage());
            assertArrayEquals(b("a"), e.key());
            t2.close(); // its locks go: t1 gets b
            t1WaitsForB.get(10, TimeUnit.SECONDS);
            t1.commit();
            assertEquals("1", new String(db.get(b("a"))));
            assertEquals("1", new String(db.get(b("b"))));
        }
        try (Database db = open("txn-timeout", false, Duration.ofMillis(100))) {
            try (Transaction holder = db.begin()) {
                holder.put(b("k"), b("held"));
                try (Transaction waiter = db.begin()) {
                    long t0 = System.nanoTime();
                    TransactionConflictException e = assertThrows(TransactionConflictException.class,
                            () -> waiter.getForUpdate(b("k")));
                    assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(90));
                    assertTrue(e.getMessage().contains("transactionWaitTimeout"), e.getMessage());
                }
                holder.rollback();
            }
            try (Transaction next = db.begin()) {
                next.put(b("k"), b("free")); // the rolled back holder's lock is gone
                next.commit();
            }
            assertEquals("free", new String(db.get(b("k"))));
        }
    }

    @Test
    void pessimisticWriteOfAKeyChangedSinceTheSnapshotFailsAtThePut() {
        try (Database db = open("txn-failfast", false, Duration.ofSeconds(1))) {
            try (Transaction tx = db.begin()) {
                db.put(b("x"), b("changed after the snapshot"));
                TransactionConflictException e = assertThrows(TransactionConflictException.class,
                        () -> tx.put(b("x"), b("mine")));
                assertArrayEquals(b("x"), e.key());
            }
        }
    }

    @Test
    void optimisticGetForUpdateIsCheckedAtCommitEvenUnwritten() {
        try (Database db = open("txn-forupdate", true, Duration.ofSeconds(1))) {
            db.put(b("limit"), b("10"));
            try (Transaction tx = db.begin()) {
                assertEquals("10", new String(tx.getForUpdate(b("limit"))));
                tx.put(b("order"), b("9"));
                db.put(b("limit"), b("5"));
                assertEquals("10", new String(tx.getForUpdate(b("limit"))), "the same value within the transaction");
                TransactionConflictException e = assertThrows(TransactionConflictException.class, tx::commit);
                assertArrayEquals(b("limit"), e.key());
            }
            try (Transaction tx = db.beginReadOnly()) {
                assertThrows(IllegalStateException.class, () -> tx.getForUpdate(b("limit")));
            }
        }
    }
}
