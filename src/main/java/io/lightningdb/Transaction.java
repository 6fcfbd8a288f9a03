package io.lightningdb;

import io.lightningdb.txn.KeyLocks;
import io.lightningdb.txn.ReadSet;
import io.lightningdb.txn.Snapshot;
import io.lightningdb.txn.WriteSet;
import java.util.Arrays;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A unit of reads and writes that commits whole or not at all. Reads see a snapshot taken at
 * {@link Database#begin()} plus the transaction's own writes; writes are buffered until
 * {@link #commit()}, which checks them against commits made since the snapshot (see
 * {@link IsolationLevel}) and applies them atomically as one log record: after a crash a
 * transaction is wholly there or wholly absent. A transaction holds no lock: readers never wait for
 * it and it never waits for writers. One thread at a time uses a transaction.
 *
 * {@snippet class=io.lightningdb.examples.TransactionExamples region="transfer"}
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
    /** The key locks held, when {@code optimisticLocking} is off; null otherwise. */
    private final KeyLocks.Holder locks;
    /** Keys read by {@link #getForUpdate}: what was read, and the stamp it is checked against at commit. */
    private TreeMap<byte[], ForUpdate> forUpdate;
    private State state = State.ACTIVE;

    record ForUpdate(long stamp, byte[] value) {}

    /** What {@link #known} returns for a key the transaction has neither written nor read for update. */
    private static final byte[] UNKNOWN = new byte[0];

    Transaction(Transactions owner, Snapshot snapshot, IsolationLevel isolation, boolean readOnly,
            KeyLocks.Holder locks) {
        this.owner = owner;
        this.snapshot = snapshot;
        this.isolation = isolation;
        this.readOnly = readOnly;
        this.reads = isolation == IsolationLevel.SERIALIZABLE && !readOnly ? new ReadSet() : null;
        this.locks = readOnly ? null : locks;
    }

    /** The value of {@code key} in this transaction's view, or null when absent. */
    public byte[] get(byte[] key) {
        checkActive();
        owner.checkKey(key);
        byte[] known = known(key);
        if (known != UNKNOWN) {
            return known;
        }
        byte[] v = owner.read(this, key);
        if (reads != null) {
            reads.key(key.clone());
        }
        return v;
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
        owner.checkKey(key);
        byte[] known = known(key);
        if (known != UNKNOWN) {
            return known;
        }
        byte[] k = key.clone();
        ForUpdate fu;
        if (locks != null) {
            owner.lock(this, k);
            long stamp = owner.visibleStamp(); // before the read: any later write is caught at commit
            fu = new ForUpdate(stamp, owner.readNewest(k));
        } else {
            fu = new ForUpdate(snapshot.stamp(), owner.read(this, k));
        }
        if (forUpdate == null) {
            forUpdate = new TreeMap<>(Arrays::compareUnsigned);
        }
        forUpdate.put(k, fu);
        return fu.value() == null ? null : fu.value().clone();
    }

    /**
     * A copy of the transaction's own value for {@code key} (what it wrote, or read for update;
     * null: deleted or absent), or {@link #UNKNOWN} when it has done neither.
     */
    private byte[] known(byte[] key) {
        byte[] own = writes.get(key);
        if (own != null) {
            return own == WriteSet.DELETED ? null : own.clone();
        }
        ForUpdate fu = forUpdate == null ? null : forUpdate.get(key);
        if (fu != null) {
            return fu.value() == null ? null : fu.value().clone();
        }
        return UNKNOWN;
    }

    /** Sets {@code key} to {@code value} when the transaction commits; later reads in it see the value. */
    public void put(byte[] key, byte[] value) {
        checkWritable();
        owner.checkKey(key);
        Arguments.checkValue(value);
        byte[] k = key.clone();
        lockForWrite(k);
        writes.put(k, value.clone());
    }

    /** Removes {@code key} when the transaction commits; later reads in it see it absent. */
    public void delete(byte[] key) {
        checkWritable();
        owner.checkKey(key);
        byte[] k = key.clone();
        lockForWrite(k);
        writes.put(k, WriteSet.DELETED);
    }

    private void lockForWrite(byte[] k) {
        if (locks != null && writes.get(k) == null && (forUpdate == null || !forUpdate.containsKey(k))) {
            owner.lock(this, k);
            // Holding the lock, a change after the snapshot can only be an earlier commit: fail now, not at commit.
            owner.checkUnchanged(k, snapshot.stamp());
        }
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
        Objects.requireNonNull(prefix, "prefix");
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

    /** The stamp a write of {@code key} is checked against at commit: its read-for-update's, else the snapshot's. */
    long checkStamp(byte[] key) {
        ForUpdate fu = forUpdate == null ? null : forUpdate.get(key);
        return fu != null ? fu.stamp() : snapshot.stamp();
    }

    /** Keys read for update (checked at commit even when not written), or null. */
    TreeMap<byte[], ForUpdate> forUpdate() {
        return forUpdate;
    }

    KeyLocks.Holder locks() {
        return locks;
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
