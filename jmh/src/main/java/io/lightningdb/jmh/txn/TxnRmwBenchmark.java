package io.lightningdb.jmh.txn;

import io.lightningdb.jmh.kv.Keys;
import io.lightningdb.jmh.kv.KvStore;
import io.lightningdb.jmh.kv.ScrambledZipfian;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Small read-modify-write transactions: each operation moves a random amount (1-100) between two
 * distinct accounts drawn uniformly or zipfian ({@code dist}, YCSB's scrambled zipfian, constant
 * 0.99) from {@code keys} preloaded accounts: begin, read both, write both, commit, as
 * {@link TxnEngine.Session#transfer}. A refused commit is retried at once with a new transaction
 * (new snapshot) until it commits. The score is committed transactions per second, all threads
 * together, at 1 and 2 threads ({@code transfer_1t}, {@code transfer_2t}); the secondary results
 * {@code conflicts} (refused commits) and {@code retried} (committed transactions that needed more
 * than one attempt) are per second too, so either divided by the score is a rate per commit.
 *
 * <p>Engines: {@code lightning} (SNAPSHOT) and {@code lightning-serializable}, explicit
 * begin/get/put/commit, and {@code lightning-pessimistic}, key locks with getForUpdate
 * ({@link LightningTxnEngine}); {@code rocksdb}, OptimisticTransactionDB with
 * a snapshot at begin and getForUpdate ({@link RocksTxnEngine}); {@code lmdb}, write transactions,
 * one at a time ({@link LmdbTxnEngine}). Settings as in the kv benchmarks: 16-byte keys, 100-byte
 * values, caches that hold everything; no engine syncs a commit: Lightning {@code walSyncMode
 * ASYNC} (the log synced every 10 ms in the background), RocksDB WAL on with {@code sync=false},
 * LMDB MDB_NOSYNC | MDB_NOMETASYNC. A process kill loses nothing in any of them.
 *
 * <p>After the run the trial checks every engine: all accounts there, each with its own value, the
 * balances adding up to 0 (a lost update or a torn transaction breaks that), and for Lightning
 * {@code stats().transactions()} agreeing with the commits and conflicts counted here. A failed
 * check fails the benchmark. By hand:
 * {@snippet :
 * java -jar target/benchmarks.jar TxnRmwBenchmark -p keys=20000 -p engine=lightning,rocksdb -p dist=zipfian
 * }
 */
public class TxnRmwBenchmark extends TxnRun {
    /** Attempts after which a transfer fails the run instead of retrying (a livelock, not contention). */
    static final int MAX_ATTEMPTS = 10_000;
    static final int MAX_AMOUNT = 100;

    @Param({"lightning", "lightning-serializable", "lightning-pessimistic", "rocksdb", "lmdb"})
    public String engine;

    @Param({"uniform", "zipfian"})
    public String dist;

    private Path dir;
    private TxnEngine store;
    private ScrambledZipfian zipfian;
    private final List<Client> clients = new CopyOnWriteArrayList<>();

    /** A benchmark thread: its random source, engine session, and counters. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Client {
        /** Commits refused for a conflict, this iteration. */
        public long conflicts;
        /** Committed transactions that needed more than one attempt, this iteration. */
        public long retried;
        SplittableRandom random;
        TxnEngine.Session session;
        /** Whole-trial counts (warm-up included) for the checks at teardown. */
        long trialCommits;
        long trialConflicts;

        @Setup(Level.Trial)
        public void open(TxnRmwBenchmark bench, ThreadParams thread) {
            random = new SplittableRandom(1000 + thread.getThreadIndex());
            session = bench.store.newSession();
            bench.clients.add(this);
        }

        @Setup(Level.Iteration)
        public void reset() {
            conflicts = 0;
            retried = 0;
        }
    }

    @Setup(Level.Trial)
    public void setup() {
        if (!dist.equals("uniform") && !dist.equals("zipfian")) {
            throw new IllegalArgumentException("dist must be uniform or zipfian, got " + dist);
        }
        dir = Accounts.newDir(engine);
        store = TxnEngine.open(engine, dir, keys);
        long sum = Accounts.checkedSum(store, keys);
        if (sum != 0) {
            throw new IllegalStateException(engine + ": balances add up to " + sum + " after the preload, expected 0");
        }
        zipfian = new ScrambledZipfian(keys);
    }

    private long draw(SplittableRandom random) {
        return dist.equals("zipfian") ? zipfian.next(random) : random.nextLong(keys);
    }

    private void transfer(Client c) {
        long from = draw(c.random);
        long to;
        do {
            to = draw(c.random);
        } while (to == from);
        byte[] kFrom = Keys.key(from);
        byte[] kTo = Keys.key(to);
        long amount = 1 + c.random.nextInt(MAX_AMOUNT);
        for (int attempt = 1; ; attempt++) {
            if (c.session.transfer(kFrom, kTo, amount)) {
                c.trialCommits++;
                if (attempt > 1) {
                    c.retried++;
                }
                return;
            }
            c.conflicts++;
            c.trialConflicts++;
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException(engine + ": transfer " + from + " -> " + to + " refused " + attempt
                        + " times in a row");
            }
        }
    }

    @Benchmark
    @Threads(1)
    public void transfer_1t(Client c) {
        transfer(c);
    }

    @Benchmark
    @Threads(2)
    public void transfer_2t(Client c) {
        transfer(c);
    }

    @TearDown(Level.Trial)
    public void checkAndClose(BenchmarkParams params) {
        try {
            long commits = clients.stream().mapToLong(c -> c.trialCommits).sum();
            long conflicts = clients.stream().mapToLong(c -> c.trialConflicts).sum();
            long sum = Accounts.checkedSum(store, keys);
            String figures = store.checkCounts(commits, conflicts);
            String bench = params.getBenchmark();
            // Own line: JMH prints "Iteration N:" without a newline before the teardown runs.
            System.out.println();
            System.out.println(Accounts.CHECK_TAG + " bench=" + bench.substring(bench.lastIndexOf('.') + 1) + " engine="
                    + engine + " dist=" + dist + " keys=" + keys + " threads=" + params.getThreads() + " commits="
                    + commits + " conflicts=" + conflicts + " balanceSum=" + sum + " " + figures);
            if (sum != 0) {
                throw new IllegalStateException(engine + ": balances add up to " + sum + " after " + commits
                        + " transfers, expected 0: an update was lost or a transaction applied in part");
            }
        } finally {
            clients.clear();
            store.close();
            KvStore.deleteTree(dir);
        }
    }
}
