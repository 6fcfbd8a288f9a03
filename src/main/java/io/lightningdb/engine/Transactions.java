package io.lightningdb.engine;

import io.lightningdb.store.StoreCursor;
import io.lightningdb.txn.KeyLocks;
import io.lightningdb.txn.Mvcc;
import io.lightningdb.txn.Snapshot;
import io.lightningdb.txn.SnapshotScan;
import io.lightningdb.txn.TxnConfig;
import io.lightningdb.txn.WriteSet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * An engine's transactions: begin (bounded by {@code maxActiveTransactions}), key locks with
 * {@code optimisticLocking} off, snapshot reads and scans, commit through the log with its
 * isolation checks, the delay between retries, and their figures. The versions and checks are in
 * {@link io.lightningdb.txn.Mvcc} and its package; this class joins them to the tree and the log. A
 * refused step throws {@link TransactionRefusedException}, which the API turns into its public exceptions.
 */
public final class Transactions {
    private final Engine engine;
    private final Mvcc mvcc;
    private final TxnConfig config;
    private final Semaphore slots;
    /** Key locks of pessimistic transactions; null with optimistic locking. */
    private final KeyLocks keyLocks;
    private final LongAdder commits = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder rollbacks = new LongAdder();
    private final LongAdder readOnly = new LongAdder();

    Transactions(Engine engine, Mvcc mvcc, TxnConfig config) {
        this.engine = engine;
        this.mvcc = mvcc;
        this.config = config;
        this.slots = new Semaphore(config.maxActiveTransactions());
        this.keyLocks = config.optimisticLocking() ? null : new KeyLocks();
    }

    /**
     * Begins a transaction on a new snapshot, waiting up to {@code transactionWaitTimeout} for a
     * slot while {@code maxActiveTransactions} are open. SERIALIZABLE ones record what they read.
     */
    public EngineTransaction begin(boolean serializable, boolean readOnly) {
        engine.checkOpen();
        if (!slots.tryAcquire()) {
            boolean got;
            try {
                got = slots.tryAcquire(config.beginWaitNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TransactionRefusedException.interrupted("interrupted while waiting to begin a transaction", e);
            }
            if (!got) {
                throw TransactionRefusedException.tooManyTransactions(config.maxActiveTransactions()
                        + " transactions are open (maxActiveTransactions) and none ended within "
                        + Duration.ofNanos(config.beginWaitNanos()) + " (transactionWaitTimeout); close transactions "
                        + "(try-with-resources) or raise maxActiveTransactions");
            }
        }
        try {
            return new EngineTransaction(this, mvcc.begin(), serializable, readOnly,
                    keyLocks == null || readOnly ? null : new KeyLocks.Holder());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    void end(EngineTransaction tx, boolean committed) {
        if (tx.locks() != null) {
            keyLocks.releaseAll(tx.locks());
        }
        mvcc.end(tx.snapshot());
        slots.release();
        (tx.isReadOnly() ? readOnly : committed ? commits : rollbacks).increment();
    }

    /** The value of {@code key} as {@code tx}'s snapshot sees it, in a new array, or null. */
    byte[] read(EngineTransaction tx, byte[] key) throws IOException {
        byte[] v = mvcc.read(tx.snapshot(), key, readNewest(key)); // the tree first, then the versions
        // The versions this read needed may have gone with an aborted snapshot: then do not trust it.
        tx.checkNotAborted();
        return v;
    }

    /** The newest committed value of {@code key}, in a new array, or null (a read for update under a lock). */
    byte[] readNewest(byte[] key) throws IOException {
        return engine.inEpoch(e -> e.get(key));
    }

    long visibleStamp() {
        return mvcc.visible();
    }

    /** Locks {@code key} for {@code tx} (pessimistic mode), or refuses with a conflict on timeout or deadlock. */
    void lock(EngineTransaction tx, byte[] key) {
        KeyLocks.Outcome o;
        try {
            o = keyLocks.acquire(key, tx.locks(), config.beginWaitNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TransactionRefusedException.interrupted("interrupted while waiting for a key lock", e);
        }
        if (o == KeyLocks.Outcome.TIMED_OUT || o == KeyLocks.Outcome.DEADLOCK) {
            throw conflict(key, o == KeyLocks.Outcome.DEADLOCK
                    ? "waiting for its lock would deadlock (its holder waits, directly or not, for a lock this "
                            + "transaction holds); this transaction gives way"
                    : "another transaction held its lock for longer than transactionWaitTimeout "
                            + Duration.ofNanos(config.beginWaitNanos()));
        }
    }

    /** Refuses with a conflict when a commit after {@code stamp} changed {@code key}. */
    void checkUnchanged(byte[] key, long stamp) {
        if (mvcc.changedAfter(stamp, key)) {
            throw conflict(key, "another commit after this transaction began "
                    + "changed it and this transaction writes it (first committer wins)");
        }
    }

    private TransactionRefusedException conflict(byte[] key, String why) {
        conflicts.increment();
        return TransactionRefusedException.conflict(key, why);
    }

    /**
     * {@code tx}'s view of {@code tree}'s range {@code [from, to)} (the cursor's own bounds);
     * {@code nextRun} reads the tree cursor's next run inside an epoch.
     */
    SnapshotScan scan(EngineTransaction tx, StoreCursor tree, BooleanSupplier nextRun, byte[] from, byte[] to,
            boolean reverse) {
        SnapshotScan.TreeSource source = new SnapshotScan.TreeSource() {
            @Override
            public boolean next() {
                return tree.nextBuffered() || nextRun.getAsBoolean();
            }

            @Override
            public byte[] key() {
                return tree.key();
            }

            @Override
            public byte[] value() {
                return tree.value();
            }
        };
        SnapshotScan scan = new SnapshotScan(mvcc, tx.snapshot(), tx.writes(), source, from, to, reverse);
        if (tx.reads() != null) {
            tx.reads().scan(scan);
        }
        return scan;
    }

    /** Validates and applies {@code tx}'s writes as one log record; refuses on a conflict. */
    void commit(EngineTransaction tx) throws IOException {
        WriteSet ws = tx.writes();
        List<byte[]> keys = new ArrayList<>(ws.size());
        List<byte[]> values = new ArrayList<>(ws.size());
        for (Map.Entry<byte[], byte[]> e : ws.entries()) {
            keys.add(e.getKey());
            values.add(e.getValue() == WriteSet.DELETED ? null : e.getValue());
        }
        engine.inEpoch(e -> {
            e.write(keys, values, "transaction of " + keys.size() + " writes", () -> validate(tx));
            return null;
        });
    }

    /** With every other writer out, before anything is logged: the checks of the transaction's isolation level. */
    private void validate(EngineTransaction tx) {
        Snapshot s = tx.snapshot();
        String why = s.abortReason();
        if (why != null) {
            throw TransactionRefusedException.snapshotTooOld("transaction cannot commit: " + why);
        }
        for (Map.Entry<byte[], byte[]> e : tx.writes().entries()) {
            checkUnchanged(e.getKey(), tx.checkStamp(e.getKey()));
        }
        if (tx.forUpdate() != null) {
            for (Map.Entry<byte[], EngineTransaction.ForUpdate> e : tx.forUpdate().entrySet()) {
                if (mvcc.changedAfter(e.getValue().stamp(), e.getKey())) {
                    throw conflict(e.getKey(), "this transaction read it for update and another commit changed it since");
                }
            }
        }
        if (tx.reads() != null) {
            byte[] k = tx.reads().firstConflict(mvcc, s);
            if (k != null) {
                throw conflict(k, "this SERIALIZABLE transaction read it (or scanned its "
                        + "range) and another commit after it began changed it");
            }
        }
    }

    /**
     * After a conflict ended the {@code attempt}th run of a transaction: false when
     * {@code conflictRetryLimit} retries are used up; else counts the retry and sleeps about
     * conflictRetryDelay × 2^(attempt-1), jittered ±50% so retrying rivals spread apart, and says true.
     */
    public boolean retryAfterConflict(int attempt) {
        if (attempt > config.conflictRetryLimit()) {
            return false;
        }
        retries.increment();
        long base = config.conflictRetryDelayNanos();
        if (base == 0) {
            Thread.yield();
            return true;
        }
        long mean = Math.min(base << Math.min(attempt - 1, 20), TimeUnit.SECONDS.toNanos(1));
        long nanos = (long) (mean * (0.5 + ThreadLocalRandom.current().nextDouble()));
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TransactionRefusedException.interrupted("interrupted while waiting to retry a transaction", e);
        }
        return true;
    }

    TransactionFigures figures() {
        return new TransactionFigures(mvcc.openSnapshots(), mvcc.oldestSnapshotAgeNanos(), mvcc.versionCount(),
                mvcc.versionBytes(), commits.sum(), conflicts.sum(), retries.sum(), rollbacks.sum(), readOnly.sum(),
                mvcc.abortedSnapshots());
    }
}
