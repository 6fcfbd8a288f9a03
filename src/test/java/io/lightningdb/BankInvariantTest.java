package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Transfers between accounts in transactions while read-only snapshots sum all accounts: every sum
 * equals the initial total (snapshots are consistent, commits atomic, no update lost), and the
 * final balances equal replaying the log of successful commits (nothing committed is missing,
 * nothing refused slipped in). Also after reopening.
 */
class BankInvariantTest {
    static final int ACCOUNTS = 64;
    static final long INITIAL = 1000;
    static final int TRANSFER_THREADS = 3;
    static final int SUM_THREADS = 2;
    static final int TRANSFERS_PER_THREAD = 1500;

    static byte[] account(int i) {
        return ("acct/" + (char) ('A' + i / 26) + (char) ('a' + i % 26)).getBytes();
    }

    static byte[] amount(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long amount(byte[] b) {
        return ByteBuffer.wrap(b).getLong();
    }

    record Transfer(int from, int to, long amount) {}

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void sumsAreConstantAndTheEndStateIsTheCommitLog(IsolationLevel level) throws Exception {
        long seed = Seeds.seed("BankInvariantTest(" + level + ")");
        Path dir = TestDirs.fresh("bank");
        LightningDbConfig config = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC)
                .conflictRetryLimit(1000).conflictRetryDelay(Duration.ofNanos(20_000)).build();
        ConcurrentLinkedQueue<Transfer> committed = new ConcurrentLinkedQueue<>();
        AtomicLong sums = new AtomicLong();
        try (Database db = Database.open(dir, config)) {
            db.inTransaction(tx -> {
                for (int i = 0; i < ACCOUNTS; i++) {
                    tx.put(account(i), amount(INITIAL));
                }
            });
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean transfersDone = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < TRANSFER_THREADS; t++) {
                SplittableRandom r = new SplittableRandom(seed + t);
                threads.add(Thread.ofPlatform().start(guard(failure, () -> {
                    for (int n = 0; n < TRANSFERS_PER_THREAD; n++) {
                        int from = r.nextInt(ACCOUNTS);
                        int to = (from + 1 + r.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                        long want = 1 + r.nextInt(50);
                        // The body may run several times; only the committed run's transfer is logged.
                        Transfer done = db.callInTransaction(level, tx -> {
                            long a = amount(tx.get(account(from)));
                            long b = amount(tx.get(account(to)));
                            long moved = Math.min(a, want);
                            tx.put(account(from), amount(a - moved));
                            tx.put(account(to), amount(b + moved));
                            return new Transfer(from, to, moved);
                        });
                        committed.add(done);
                    }
                })));
            }
            List<Thread> summers = new ArrayList<>();
            for (int t = 0; t < SUM_THREADS; t++) {
                boolean byScan = t % 2 == 0;
                summers.add(Thread.ofPlatform().start(guard(failure, () -> {
                    while (!transfersDone.get()) {
                        long total = 0;
                        try (Transaction tx = db.beginReadOnly()) {
                            if (byScan) {
                                try (Cursor c = tx.scanPrefix("acct/".getBytes())) {
                                    while (c.next()) {
                                        total += amount(c.value());
                                    }
                                }
                            } else {
                                for (int i = 0; i < ACCOUNTS; i++) {
                                    total += amount(tx.get(account(i)));
                                }
                            }
                        }
                        if (total != ACCOUNTS * INITIAL) {
                            throw new AssertionError("a snapshot summed to " + total + ", not " + ACCOUNTS * INITIAL
                                    + " (seed " + seed + ")");
                        }
                        sums.incrementAndGet();
                    }
                })));
            }
            for (Thread t : threads) {
                t.join();
            }
            transfersDone.set(true);
            for (Thread t : summers) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("seed " + seed, failure.get());
            }
            assertEquals(TRANSFER_THREADS * TRANSFERS_PER_THREAD, committed.size());
            assertTrue(sums.get() > 0, "the summing threads ran");
            TransactionStats ts = db.stats().transactions();
            System.out.println("BankInvariantTest(" + level + "): " + sums.get() + " snapshot sums, " + ts);
            assertEquals(0, ts.active());
            assertEquals(0, ts.versionCount(), "no version outlives the snapshots");
            long[] expected = replay(committed);
            assertBalances(db, expected, seed);
        }
        try (Database db = Database.open(dir, config)) {
            assertBalances(db, replay(committed), seed);
            assertNull(db.get(account(ACCOUNTS)));
        }
    }

    private static long[] replay(Iterable<Transfer> log) {
        long[] balance = new long[ACCOUNTS];
        java.util.Arrays.fill(balance, INITIAL);
        // Commit order is not the queue's order, but sums of moves commute: the end state is the same.
        for (Transfer t : log) {
            balance[t.from()] -= t.amount();
            balance[t.to()] += t.amount();
        }
        return balance;
    }

    private static void assertBalances(Database db, long[] expected, long seed) {
        for (int i = 0; i < ACCOUNTS; i++) {
            assertEquals(expected[i], amount(db.get(account(i))), "account " + i + " (seed " + seed + ")");
            assertTrue(expected[i] >= 0, "no account went negative");
        }
    }

    private static Runnable guard(AtomicReference<Throwable> failure, Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
    }
}
