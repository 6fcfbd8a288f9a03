package io.lightningdb;

import io.lightningdb.engine.Engine;
import io.lightningdb.store.StoreCursor;
import io.lightningdb.txn.KeyLocks;
import io.lightningdb.txn.Mvcc;
import io.lightningdb.txn.Snapshot;
import io.lightningdb.txn.SnapshotScan;
import io.lightningdb.txn.TxnConfig;
import io.lightningdb.txn.WriteSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The database's transactions: begin (bounded by {@code maxActiveTransactions}), snapshot reads,
 * commit through the log, retries, and their figures. The versions and checks are in
 * {@link io.lightningdb.txn.Mvcc}; this class joins them to the tree, the log and the public types.
 */
final class Transactions {
    private final Database db;
    private final Engine engine;
    private final Mvcc mvcc;
    private final TxnConfig config;
    private final int maxKeySize;
    private final Semaphore slots;
    /** Key locks of pessimistic transactions; null with optimistic locking. */
    private final KeyLocks keyLocks;
    private final LongAdder commits = new LongAdder();
    private final LongAdder conflicts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder rollbacks = new LongAdder();
    private final LongAdder readOnly = new LongAdder();

    Transactions(Database db, Engine engine, TxnConfig config, int maxKeySize) {
        this.db = db;
        this.engine = engine;
        this.mvcc = engine.mvcc();
        this.config = config;
        this.maxKeySize = maxKeySize;
        this.slots = new Semaphore(config.maxActiveTransactions());
        this.keyLocks = config.optimisticLocking() ? null : new KeyLocks();
    }

    void checkKey(byte[] key) {
        Arguments.checkKey(key, maxKeySize);
    }

    Transaction begin(IsolationLevel isolation, boolean readOnly) {
        Objects.requireNonNull(isolation, "isolation");
        db.checkOpen();
        if (!slots.tryAcquire()) {
            boolean got;
            try {
                got = slots.tryAcquire(config.beginWaitNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LightningDbException("interrupted while waiting to begin a transaction", e);
            }
            if (!got) {
                throw new TooManyTransactionsException(config.maxActiveTransactions()
                        + " transactions are open (maxActiveTransactions) and none ended within "
                        + Duration.ofNanos(config.beginWaitNanos()) + " (transactionWaitTimeout); close transactions "
                        + "(try-with-resources) or raise maxActiveTransactions");
            }
        }
        try {
            return new Transaction(this, mvcc.begin(), isolation, readOnly,
                    keyLocks == null ? null : new KeyLocks.Holder());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    void end(Transaction tx, boolean committed) {
        if (tx.locks() != null) {
            keyLocks.releaseAll(tx.locks());
        }
        mvcc.end(tx.snapshot());
        slots.release();
        (tx.isReadOnly() ? readOnly : committed ? commits : rollbacks).increment();
    }

    /** The value of {@code key} as {@code tx}'s snapshot sees it, in a new array, or null. */
    byte[] read(Transaction tx, byte[] key) {
        byte[] v = mvcc.read(tx.snapshot(), key, readNewest(key)); // the tree first, then the versions
        // The versions this read needed may have gone with an aborted snapshot: then do not trust it.
        tx.checkActive();
        return v;
    }

    /** The newest committed value of {@code key}, in a new array, or null (a read for update under a lock). */
    byte[] readNewest(byte[] key) {
        return db.guarded(e -> e.get(key));
    }

    long visibleStamp() {
        return mvcc.visible();
    }

    /** Locks {@code key} for {@code tx} (pessimistic mode), or throws a conflict on timeout or deadlock. */
    void lock(Transaction tx, byte[] key) {
        KeyLocks.Outcome o;
        try {
            o = keyLocks.acquire(key, tx.locks(), config.beginWaitNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LightningDbException("interrupted while waiting for a key lock", e);
        }
        if (o == KeyLocks.Outcome.TIMED_OUT || o == KeyLocks.Outcome.DEADLOCK) {
            conflicts.increment();
            throw TransactionConflictException.on(key, o == KeyLocks.Outcome.DEADLOCK
                    ? "waiting for its lock would deadlock (its holder waits, directly or not, for a lock this "
                            + "transaction holds); this transaction gives way"
                    : "another transaction held its lock for longer than transactionWaitTimeout "
                            + Duration.ofNanos(config.beginWaitNanos()));
        }
    }

    /** Throws a conflict when a commit after {@code stamp} changed {@code key}. */
    void checkUnchanged(byte[] key, long stamp) {
        if (mvcc.changedAfter(stamp, key)) {
            conflicts.increment();
            throw TransactionConflictException.on(key, "another commit after this transaction began "
                    + "changed it and this transaction writes it (first committer wins)");
        }
    }

    Cursor scan(Transaction tx, byte[] from, byte[] to, boolean reverse) {
        db.checkRange(from, to);
        byte[] f = from == null ? null : from.clone();
        byte[] t = to == null ? null : to.clone();
        StoreCursor inner = engine.cursor(f, t, reverse);
        SnapshotScan.TreeSource source = new SnapshotScan.TreeSource() {
            @Override
            public boolean next() {
                return inner.nextBuffered() || db.advance(inner);
            }

            @Override
            public byte[] key() {
                return inner.key();
            }

            @Override
            public byte[] value() {
                return inner.value();
            }
        };
        SnapshotScan scan = new SnapshotScan(mvcc, tx.snapshot(), tx.writes(), source, f, t, reverse);
        if (tx.reads() != null) {
            tx.reads().scan(scan);
        }
        return new Cursor(db, tx, scan, inner);
    }

    /** Validates and applies {@code tx}'s writes as one log record; throws on a conflict. */
    void commit(Transaction tx) {
        WriteSet ws = tx.writes();
        List<byte[]> keys = new ArrayList<>(ws.size());
        List<byte[]> values = new ArrayList<>(ws.size());
        for (Map.Entry<byte[], byte[]> e : ws.entries()) {
            keys.add(e.getKey());
            values.add(e.getValue() == WriteSet.DELETED ? null : e.getValue());
        }
        db.guardedRun(e -> e.write(keys, values, "transaction of " + keys.size() + " writes", () -> validate(tx)));
    }

    /** With every other writer out, before anything is logged: the checks of the transaction's isolation level. */
    private void validate(Transaction tx) {
        Snapshot s = tx.snapshot();
        String why = s.abortReason();
        if (why != null) {
            throw new SnapshotTooOldException("transaction cannot commit: " + why);
        }
        for (Map.Entry<byte[], byte[]> e : tx.writes().entries()) {
            checkUnchanged(e.getKey(), tx.checkStamp(e.getKey()));
        }
        if (tx.forUpdate() != null) {
            for (Map.Entry<byte[], Transaction.ForUpdate> e : tx.forUpdate().entrySet()) {
                if (mvcc.changedAfter(e.getValue().stamp(), e.getKey())) {
                    conflicts.increment();
                    throw TransactionConflictException.on(e.getKey(), "this transaction read it for update and "
                            + "another commit changed it since");
                }
            }
        }
        if (tx.reads() != null) {
            byte[] k = tx.reads().firstConflict(mvcc, s);
            if (k != null) {
                conflicts.increment();
                throw TransactionConflictException.on(k, "this SERIALIZABLE transaction read it (or scanned its "
                        + "range) and another commit after it began changed it");
            }
        }
    }

    /** Runs {@code work} in a transaction, again after each conflict, up to {@code conflictRetryLimit} times. */
    <R> R run(IsolationLevel isolation, TransactionFunction<R> work) {
        Objects.requireNonNull(work, "work");
        for (int attempt = 1; ; attempt++) {
            try (Transaction tx = begin(isolation, false)) {
                R r = work.apply(tx);
                if (tx.isActive()) {
                    tx.commit();
                }
                return r;
            } catch (TransactionConflictException e) {
                if (attempt > config.conflictRetryLimit()) {
                    throw new TransactionConflictException("gave up after " + attempt + " attempts (conflictRetryLimit "
                            + config.conflictRetryLimit() + "): " + e.getMessage(), e.keyInternal(), attempt, e);
                }
                retries.increment();
                backOff(attempt);
            }
        }
    }

    /** Sleeps about conflictRetryDelay × 2^(attempt-1), jittered ±50%, so retrying rivals spread apart. */
    private void backOff(int attempt) {
        long base = config.conflictRetryDelayNanos();
        if (base == 0) {
            Thread.yield();
            return;
        }
        long mean = Math.min(base << Math.min(attempt - 1, 20), TimeUnit.SECONDS.toNanos(1));
        long nanos = (long) (mean * (0.5 + ThreadLocalRandom.current().nextDouble()));
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LightningDbException("interrupted while waiting to retry a transaction", e);
        }
    }

    TransactionStats stats() {
        return new TransactionStats(mvcc.openSnapshots(), Duration.ofNanos(mvcc.oldestSnapshotAgeNanos()),
                mvcc.versionCount(), mvcc.versionBytes(), commits.sum(), conflicts.sum(), retries.sum(),
                rollbacks.sum(), readOnly.sum(), mvcc.abortedSnapshots());
    }
}
