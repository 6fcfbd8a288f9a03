package io.lightningdb.jmh.txn;

import io.lightningdb.Database;
import io.lightningdb.Transaction;
import io.lightningdb.jmh.kv.Keys;
import io.lightningdb.jmh.kv.KvStore;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * What a point read costs inside a read-only transaction against a plain get, on Lightning DB with
 * {@code keys} preloaded accounts (as {@link TxnRmwBenchmark}'s, cache holding everything, warmed
 * by a full scan), at 1 and 2 threads. Every method reads uniformly random present keys from the
 * same per-thread random sequence:
 * <ul>
 * <li>{@code plainGet}: {@code db.get(key)};
 * <li>{@code readOnlyTxGet}: {@code tx.get(key)} on the thread's one {@code db.beginReadOnly()}
 * transaction, open for the whole trial: the cost of the read itself, not of begin and close;
 * <li>{@code readOnlyTxBeginGetClose}: begin a read-only transaction, one get, close, per operation.
 * </ul>
 * No writes run, so the open snapshots hold no old versions. The goal: {@code readOnlyTxGet}
 * within 10% of {@code plainGet}.
 * {@snippet :
 * java -jar target/benchmarks.jar TxnReadBenchmark -p keys=20000
 * }
 */
public class TxnReadBenchmark extends TxnRun {
    private Path dir;
    private Database db;

    /** A thread's random source: the same sequence of keys in every method. */
    @State(Scope.Thread)
    public static class Reader {
        SplittableRandom random;

        @Setup(Level.Trial)
        public void seed(ThreadParams thread) {
            random = new SplittableRandom(2000 + thread.getThreadIndex());
        }
    }

    /** A thread's read-only transaction, open from trial setup to teardown. */
    @State(Scope.Thread)
    public static class OpenSnapshot {
        Transaction tx;

        @Setup(Level.Trial)
        public void begin(TxnReadBenchmark bench) {
            tx = bench.db.beginReadOnly();
        }

        @TearDown(Level.Trial)
        public void close() {
            tx.close();
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        dir = Accounts.newDir("lightning");
        Accounts.preload("lightning", dir, keys);
        db = Accounts.openLightning(dir, keys);
        checkAccounts();
    }

    private void checkAccounts() {
        long sum = Accounts.checkedSum("lightning", v -> LightningTxnEngine.scanAll(db, v), keys);
        if (sum != 0) {
            throw new IllegalStateException("lightning: balances add up to " + sum + ", expected 0");
        }
    }

    private static byte[] present(byte[] value, byte[] key) {
        if (value == null) {
            throw new IllegalStateException("lightning: key " + Keys.number(key) + " missing");
        }
        return value;
    }

    private byte[] plainGet(Reader r) {
        byte[] k = Keys.key(r.random.nextLong(keys));
        return present(db.get(k), k);
    }

    private byte[] txGet(Reader r, OpenSnapshot s) {
        byte[] k = Keys.key(r.random.nextLong(keys));
        return present(s.tx.get(k), k);
    }

    private byte[] beginGetClose(Reader r) {
        byte[] k = Keys.key(r.random.nextLong(keys));
        try (Transaction tx = db.beginReadOnly()) {
            return present(tx.get(k), k);
        }
    }

    @Benchmark
    @Threads(1)
    public byte[] plainGet_1t(Reader r) {
        return plainGet(r);
    }

    @Benchmark
    @Threads(1)
    public byte[] readOnlyTxGet_1t(Reader r, OpenSnapshot s) {
        return txGet(r, s);
    }

    @Benchmark
    @Threads(1)
    public byte[] readOnlyTxBeginGetClose_1t(Reader r) {
        return beginGetClose(r);
    }

    @Benchmark
    @Threads(2)
    public byte[] plainGet_2t(Reader r) {
        return plainGet(r);
    }

    @Benchmark
    @Threads(2)
    public byte[] readOnlyTxGet_2t(Reader r, OpenSnapshot s) {
        return txGet(r, s);
    }

    @Benchmark
    @Threads(2)
    public byte[] readOnlyTxBeginGetClose_2t(Reader r) {
        return beginGetClose(r);
    }

    @TearDown(Level.Trial)
    public void checkAndClose() {
        try {
            checkAccounts();
            long open = db.stats().transactions().active();
            if (open != 0) {
                throw new IllegalStateException("lightning: " + open + " transactions still open at teardown");
            }
        } finally {
            db.close();
            KvStore.deleteTree(dir);
        }
    }
}
