package io.lightningdb;

import io.lightningdb.engine.EngineTransaction;
import io.lightningdb.engine.TransactionRefusedException;
import io.lightningdb.store.StoreCursor;
import java.io.IOException;
import java.util.Objects;

/**
 * A unit of reads and writes that commits whole or not at all. Reads see a snapshot taken at
 * {@link Database#begin()} plus the transaction's own writes; writes are buffered until
 * {@link #commit()}, which checks them against commits made since the snapshot (see
 * {@link IsolationLevel}) and applies them atomically as one log record: after a crash a
 * transaction is wholly there or wholly absent. Readers never wait for a transaction. With
 * {@code optimisticLocking} (the default) it holds no lock and a conflict shows at commit; without
 * it, its writes and reads for update lock their keys until it ends (see {@link #getForUpdate}).
 * One thread at a time uses a transaction.
 *
 * {@snippet class=io.lightningdb.examples.TransactionExamples region="transfer"}
 */
public final class Transaction implements AutoCloseable {
    private enum State { ACTIVE, COMMITTED, ROLLED_BACK }

    private final Database db;
    /** The engine's side: snapshot, buffered writes, reads, key locks. */
    private final EngineTransaction work;
    private final IsolationLevel isolation;
    private final boolean readOnly;
    private State state = State.ACTIVE;

    Transaction(Database db, EngineTransaction work, IsolationLevel isolation, boolean readOnly) {
        this.db = db;
        this.work = work;
        this.isolation = isolation;
        this.readOnly = readOnly;
    }

    /** The value of {@code key} in this transaction's view, or null when absent. */
    public byte[] get(byte[] key) {
        checkActive();
        db.checkKey(key);
        return step(() -> work.get(key));
    }

    /**
     * Reads {@code key} for a later write: the commit is refused if another commit changes it after
     * this read, whatever the isolation level. With {@code optimisticLocking(false)} it also locks
     * the key until the transaction ends (rivals wait) and reads its newest committed value, so a
     * read-modify-write of a hot key waits for its turn instead of failing at commit.
     *
     * {@snippet class=io.lightningdb.examples.TransactionExamples region="forUpdate"}
     */
    public byte[] getForUpdate(byte[] key) {
        checkWritable();
        db.checkKey(key);
        return step(() -> work.getForUpdate(key));
    }

    /** Sets {@code key} to {@code value} when the transaction commits; later reads in it see the value. */
    public void put(byte[] key, byte[] value) {
        checkWritable();
        db.checkKey(key);
        Arguments.checkValue(value);
        step(() -> {
            work.put(key, value);
            return null;
        });
    }

    /** Removes {@code key} when the transaction commits; later reads in it see it absent. */
    public void delete(byte[] key) {
        checkWritable();
        db.checkKey(key);
        step(() -> {
            work.delete(key);
            return null;
        });
    }

    /**
     * Entries of this transaction's view with {@code fromInclusive <= key < toExclusive}, ascending
     * (null bounds are open): the snapshot merged with the transaction's own writes, including
     * writes made while the cursor is open to keys it has not reached yet. Under SERIALIZABLE, the
     * part of the range the cursor went through is checked at commit: up to the last key returned,
     * or the whole range once {@code next()} returned false.
     */
    public Cursor scan(byte[] fromInclusive, byte[] toExclusive) {
        checkActive();
        return scan(fromInclusive, toExclusive, false);
    }

    /** Like {@link #scan} in descending key order. */
    public Cursor scanReverse(byte[] fromInclusive, byte[] toExclusive) {
        checkActive();
        return scan(fromInclusive, toExclusive, true);
    }

    /** Entries of this transaction's view whose key starts with {@code prefix}, ascending. */
    public Cursor scanPrefix(byte[] prefix) {
        checkActive();
        Objects.requireNonNull(prefix, "prefix");
        return scan(prefix.length == 0 ? null : prefix, Arguments.prefixEnd(prefix), false);
    }

    private Cursor scan(byte[] from, byte[] to, boolean reverse) {
        db.checkRange(from, to);
        byte[] f = from == null ? null : from.clone();
        byte[] t = to == null ? null : to.clone();
        StoreCursor tree = db.treeCursor(f, t, reverse);
        return new Cursor(db, this, work.scan(tree, () -> db.advance(tree), f, t, reverse), tree);
    }

    /**
     * Applies the transaction's writes atomically and durably (as the sync mode promises), or
     * throws {@link TransactionConflictException} and applies nothing. Either way the transaction
     * is over. A transaction without writes just ends.
     */
    public void commit() {
        checkActive();
        boolean ok = false;
        try {
            step(() -> {
                work.commit();
                return null;
            });
            ok = true;
        } finally {
            finish(ok);
        }
    }

    /** Drops the transaction's writes; it is over. */
    public void rollback() {
        checkActive();
        finish(false);
    }

    /** Rolls back if neither committed nor rolled back; does nothing otherwise. */
    @Override
    public void close() {
        if (state == State.ACTIVE) {
            finish(false);
        }
    }

    private void finish(boolean committed) {
        state = committed ? State.COMMITTED : State.ROLLED_BACK;
        work.end(committed);
    }

    /** Whether the transaction can still read and write (not committed, rolled back or closed). */
    public boolean isActive() {
        return state == State.ACTIVE;
    }

    public IsolationLevel isolation() {
        return isolation;
    }

    /** Whether this transaction came from {@link Database#beginReadOnly()}. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /** Writes buffered so far (a key written twice counts once). */
    public int pendingWrites() {
        return work.pendingWrites();
    }

    void checkActive() {
        if (state != State.ACTIVE) {
            throw new IllegalStateException("transaction is " + (state == State.COMMITTED ? "committed" : "rolled back")
                    + "; begin a new one");
        }
        try {
            work.checkNotAborted();
        } catch (TransactionRefusedException e) {
            throw refused(e);
        }
    }

    private void checkWritable() {
        checkActive();
        if (readOnly) {
            throw new IllegalStateException("transaction is read-only (beginReadOnly); use begin() to write");
        }
    }

    /** A transaction's call into the engine, which holds an epoch itself where it reads or writes pages. */
    @FunctionalInterface
    interface Step<R> {
        R run() throws IOException;
    }

    /**
     * Runs a transaction's step outside the guard's epoch (it may wait for a slot, a key lock or a
     * retry's delay, which close must not wait for): engine failures become the API's exceptions
     * as {@code Database.wrap} says, and refusals their public exceptions with the engine's message.
     */
    static <R> R step(Step<R> step) {
        try {
            return step.run();
        } catch (IOException e) {
            throw Database.wrap(e);
        } catch (TransactionRefusedException e) {
            throw refused(e);
        }
    }

    private static LightningDbException refused(TransactionRefusedException e) {
        return switch (e.reason()) {
            case CONFLICT -> TransactionConflictException.on(e.key(), e.getMessage());
            case TOO_MANY_TRANSACTIONS -> new TooManyTransactionsException(e.getMessage());
            case SNAPSHOT_TOO_OLD -> new SnapshotTooOldException(e.getMessage());
            case INTERRUPTED -> new LightningDbException(e.getMessage(), e.getCause());
        };
    }
}
