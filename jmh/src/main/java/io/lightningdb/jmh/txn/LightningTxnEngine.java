package io.lightningdb.jmh.txn;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.IsolationLevel;
import io.lightningdb.Transaction;
import io.lightningdb.TransactionConflictException;
import io.lightningdb.TransactionStats;
import java.util.function.BiConsumer;

/**
 * Lightning DB's explicit transactions: {@code db.begin(isolation)}, two {@code tx.get}, two
 * {@code tx.put}, {@code tx.commit()}; a {@link TransactionConflictException} (first committer wins;
 * under SERIALIZABLE also a changed read) is a refused attempt, rolled back by the
 * try-with-resources. {@code lightning-pessimistic}: {@code optimisticLocking(false)} and the reads
 * are {@code tx.getForUpdate}, so each key is locked from its read to the commit, a rival waits for
 * it instead of failing, and a lock-order cycle (two transfers between the same accounts in
 * opposite directions) is refused at once as a deadlock. Not {@code db.inTransaction}: its back-off sleeps (1 ms doubling by default)
 * would make this a measure of the retry delay, and the peers retry at once.
 */
final class LightningTxnEngine implements TxnEngine {
    private final String name;
    private final Database db;
    private final IsolationLevel isolation;
    private final boolean forUpdate;

    LightningTxnEngine(String name, Database db, IsolationLevel isolation) {
        this(name, db, isolation, false);
    }

    LightningTxnEngine(String name, Database db, IsolationLevel isolation, boolean forUpdate) {
        this.name = name;
        this.db = db;
        this.isolation = isolation;
        this.forUpdate = forUpdate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Session newSession() {
        return new LightningSession();
    }

    /** A thread's attempts; the session is the {@link Accounts.TxnOps} of its open transaction. */
    private final class LightningSession implements Session, Accounts.TxnOps<RuntimeException> {
        private Transaction tx;

        @Override
        public boolean transfer(byte[] from, byte[] to, long amount) {
            try (Transaction t = db.begin(isolation)) {
                tx = t;
                Accounts.move(this, from, to, amount);
                t.commit();
                return true;
            } catch (TransactionConflictException e) {
                return false;
            } finally {
                tx = null;
            }
        }

        @Override
        public byte[] read(byte[] key) {
            return forUpdate ? tx.getForUpdate(key) : tx.get(key);
        }

        @Override
        public void write(byte[] key, byte[] value) {
            tx.put(key, value);
        }
    }

    @Override
    public void scanAll(BiConsumer<byte[], byte[]> visitor) {
        scanAll(db, visitor);
    }

    /** Visits every entry of {@code db} in ascending key order. */
    static void scanAll(Database db, BiConsumer<byte[], byte[]> visitor) {
        try (Cursor c = db.scan(null, null)) {
            while (c.next()) {
                visitor.accept(c.key(), c.value());
            }
        }
    }

    /** The database's own counts must be the callers': every commit and every refused one. */
    @Override
    public String checkCounts(long commits, long conflicts) {
        TransactionStats t = db.stats().transactions();
        if (t.commits() != commits || t.conflicts() != conflicts || t.active() != 0) {
            throw new IllegalStateException(name + ": stats().transactions() says commits=" + t.commits() + " conflicts="
                    + t.conflicts() + " active=" + t.active() + ", the benchmark counted commits=" + commits
                    + " conflicts=" + conflicts + " and left none open");
        }
        return "statsCommits=" + t.commits() + " statsConflicts=" + t.conflicts() + " rollbacks=" + t.rollbacks()
                + " versionCount=" + t.versionCount() + " versionBytes=" + t.versionBytes();
    }

    @Override
    public void close() {
        db.close();
    }
}
