package io.lightningdb.engine;

import io.lightningdb.store.StoreCursor;
import io.lightningdb.txn.KeyLocks;
import io.lightningdb.txn.ReadSet;
import io.lightningdb.txn.Snapshot;
import io.lightningdb.txn.SnapshotScan;
import io.lightningdb.txn.WriteSet;
import java.io.IOException;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * One transaction below the face: its snapshot, its buffered writes, what it read (SERIALIZABLE),
 * the keys it read for update, and the key locks it holds ({@code optimisticLocking} off). The
 * face ({@code io.lightningdb.Transaction}) keeps its state (active, committed, rolled back) and
 * checks arguments; one thread at a time calls it. A refused step throws
 * {@link TransactionRefusedException}.
 */
public final class EngineTransaction {
    private final Transactions owner;
    private final Snapshot snapshot;
    private final boolean readOnly;
    private final WriteSet writes = new WriteSet();
    /** What a SERIALIZABLE transaction read, checked at commit; null otherwise. */
    private final ReadSet reads;
    /** The key locks held, when {@code optimisticLocking} is off; null otherwise. */
    private final KeyLocks.Holder locks;
    /** Keys read by {@link #getForUpdate}: what was read, and the stamp it is checked against at commit. */
    private TreeMap<byte[], ForUpdate> forUpdate;

    record ForUpdate(long stamp, byte[] value) {}

    /** What {@link #known} returns for a key the transaction has neither written nor read for update. */
    private static final byte[] UNKNOWN = new byte[0];

    EngineTransaction(Transactions owner, Snapshot snapshot, boolean serializable, boolean readOnly,
            KeyLocks.Holder locks) {
        this.owner = owner;
        this.snapshot = snapshot;
        this.readOnly = readOnly;
        this.reads = serializable && !readOnly ? new ReadSet() : null;
        this.locks = locks;
    }

    /** The value of {@code key} in this transaction's view (a copy), or null when absent. */
    public byte[] get(byte[] key) throws IOException {
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
     * this read. Holding key locks, it first locks the key and reads its newest committed value.
     */
    public byte[] getForUpdate(byte[] key) throws IOException {
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

    /** Buffers a put of copies of {@code key} and {@code value}. */
    public void put(byte[] key, byte[] value) {
        byte[] k = key.clone();
        lockForWrite(k);
        writes.put(k, value.clone());
    }

    /** Buffers a delete of a copy of {@code key}. */
    public void delete(byte[] key) {
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
     * This transaction's view of {@code tree}'s range {@code [from, to)}, the cursor's own bounds
     * (null: open): {@code nextRun} reads the tree cursor's next run inside an epoch. Under
     * SERIALIZABLE, the part of the range the view goes through is checked at commit.
     */
    public SnapshotScan scan(StoreCursor tree, BooleanSupplier nextRun, byte[] from, byte[] to, boolean reverse) {
        return owner.scan(this, tree, nextRun, from, to, reverse);
    }

    /** Validates and applies the writes as one log record (nothing when there are none); refuses on a conflict. */
    public void commit() throws IOException {
        if (!writes.isEmpty()) {
            owner.commit(this);
        }
    }

    /** Ends the transaction, committed or not: its locks, snapshot and slot are given back. */
    public void end(boolean committed) {
        owner.end(this, committed);
    }

    /** Refuses with {@link TransactionRefusedException.Reason#SNAPSHOT_TOO_OLD} once the snapshot was aborted. */
    public void checkNotAborted() {
        String why = snapshot.abortReason();
        if (why != null) {
            throw TransactionRefusedException.snapshotTooOld("transaction can go no further: " + why);
        }
    }

    /** Writes buffered so far (a key written twice counts once). */
    public int pendingWrites() {
        return writes.size();
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

    boolean isReadOnly() {
        return readOnly;
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
