package io.lightningdb;

import io.lightningdb.txn.ReadSet;
import io.lightningdb.txn.Snapshot;
import io.lightningdb.txn.WriteSet;

/**
 * A unit of reads and writes that commits whole or not at all. Reads see a snapshot taken at
 * {@link Database#begin()} plus the transaction's own writes; writes are buffered until
 * {@link #commit()}, which checks them against commits made since the snapshot (see
 * {@link IsolationLevel}) and applies them atomically as one log record: after a crash a
 * transaction is wholly there or wholly absent. A transaction holds no lock: readers never wait for
 * it and it never waits for writers. One thread at a time uses a transaction.
 *
 * <pre>{@code
 * try (Transaction tx = db.begin()) {
 *     long from = decode(tx.get(alice)), to = decode(tx.get(bob));
 *     tx.put(alice, encode(from - 10));
 *     tx.put(bob, encode(to + 10));
 *     tx.commit();   // TransactionConflictException if a later commit changed alice or bob
 * }                  // closing without commit rolls back
 * }</pre>
 */
public final class Transaction implements AutoCloseable {
    private enum State { ACTIVE, COMMITTED, ROLLED_BACK }

    private final Transactions owner;
    private final Snapshot snapshot;
    private final IsolationLevel isolation;
    private final boolean readOnly;
    private final WriteSet writes = new WriteSet();
    /** What a SERIALIZABLE transaction read, checked at commit; null otherwise. */
    private final ReadSet reads;
    private State state = State.ACTIVE;

    Transaction(Transactions owner, Snapshot snapshot, IsolationLevel isolation, boolean readOnly) {
        this.owner = owner;
        this.snapshot = snapshot;
        this.isolation = isolation;
        this.readOnly = readOnly;
        this.reads = isolation == IsolationLevel.SERIALIZABLE && !readOnly ? new ReadSet() : null;
    }

    /** The value of {@code key} in this transaction's view, or null when absent. */
    public byte[] get(byte[] key) {
        checkActive();
        owner.checkKey(key);
        byte[] own = writes.get(key);
        if (own != null) {
            return own == WriteSet.DELETED ? null : own.clone();
        }
        byte[] v = owner.read(snapshot, key);
        if (reads != null) {
            reads.key(key.clone());
        }
        return v;
    }

    /** Sets {@code key} to {@code value} when the transaction commits; later reads in it see the value. */
    public void put(byte[] key, byte[] value) {
        checkWritable();
        owner.checkKey(key);
        Arguments.checkValue(value);
        writes.put(key.clone(), value.clone());
    }

    /** Removes {@code key} when the transaction commits; later reads in it see it absent. */
    public void delete(byte[] key) {
        checkWritable();
        owner.checkKey(key);
        writes.put(key.clone(), WriteSet.DELETED);
    }

    /**
     * Entries of this transaction's view with {@code fromInclusive <= key < toExclusive}, ascending
     * (null bounds are open): the snapshot merged with the transaction's own writes. Under
     * SERIALIZABLE, the part of the range the cursor went through is checked at commit.
     */
    public Cursor scan(byte[] fromInclusive, byte[] toExclusive) {
        checkActive();
        return owner.scan(this, fromInclusive, toExclusive, false);
    }

    /** Like {@link #scan} in descending key order. */
    public Cursor scanReverse(byte[] fromInclusive, byte[] toExclusive) {
        checkActive();
        return owner.scan(this, fromInclusive, toExclusive, true);
    }

    /** Entries of this transaction's view whose key starts with {@code prefix}, ascending. */
    public Cursor scanPrefix(byte[] prefix) {
        checkActive();
        java.util.Objects.requireNonNull(prefix, "prefix");
        return owner.scan(this, prefix.length == 0 ? null : prefix, Arguments.prefixEnd(prefix), false);
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
            if (!writes.isEmpty()) {
                owner.commit(this);
            }
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
        owner.end(this, committed);
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
        return writes.size();
    }

    void checkActive() {
        if (state != State.ACTIVE) {
            throw new IllegalStateException("transaction is " + (state == State.COMMITTED ? "committed" : "rolled back")
                    + "; begin a new one");
        }
        String why = snapshot.abortReason();
        if (why != null) {
            throw new SnapshotTooOldException("transaction can go no further: " + why);
        }
    }

    private void checkWritable() {
        checkActive();
        if (readOnly) {
            throw new IllegalStateException("transaction is read-only (beginReadOnly); use begin() to write");
        }
    }

    Snapshot snapshot() {
        return snapshot;
    }

    WriteSet writes() {
        return writes;
    }

    ReadSet reads() {
        return reads;
    }
}
