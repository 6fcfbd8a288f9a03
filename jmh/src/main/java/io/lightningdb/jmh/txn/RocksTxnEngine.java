package io.lightningdb.jmh.txn;

import io.lightningdb.jmh.kv.RocksOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.rocksdb.OptimisticTransactionDB;
import org.rocksdb.OptimisticTransactionOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.Transaction;
import org.rocksdb.WriteOptions;

/**
 * RocksDB's {@link OptimisticTransactionDB} on the kv benchmarks' options ({@link RocksOptions}),
 * WAL on with {@code sync=false}. A transaction takes a snapshot at begin
 * ({@code set_snapshot=true}), reads both accounts with {@code getForUpdate} at that snapshot, puts
 * both and commits: RocksDB then refuses the commit (Status Busy) when a key it wrote was changed
 * after the snapshot, the same first-committer-wins rule as Lightning's SNAPSHOT. TryAgain (the
 * memtable history too short to check) counts as a refused attempt too. Each thread reuses its
 * Transaction object ({@code beginTransaction(..., oldTxn)}), RocksDB's own fast path.
 */
final class RocksTxnEngine implements TxnEngine {
    private final RocksOptions options;
    private final OptimisticTransactionDB db;
    private final WriteOptions writeOptions = new WriteOptions().setSync(false);
    private final OptimisticTransactionOptions txnOptions = new OptimisticTransactionOptions().setSetSnapshot(true);
    private final List<RocksSession> sessions = new CopyOnWriteArrayList<>();

    private RocksTxnEngine(RocksOptions options, OptimisticTransactionDB db) {
        this.options = options;
        this.db = db;
    }

    static RocksTxnEngine open(Path dir, long cacheBytes) {
        RocksOptions options = RocksOptions.create(cacheBytes, false);
        try {
            return new RocksTxnEngine(options, OptimisticTransactionDB.open(options.options(), dir.toString()));
        } catch (RocksDBException e) {
            options.close();
            throw new IllegalStateException("rocksdb open " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "rocksdb";
    }

    @Override
    public Session newSession() {
        RocksSession s = new RocksSession();
        sessions.add(s);
        return s;
    }

    /** A thread's reused Transaction and read options; the session is the {@link Accounts.TxnOps} of its transaction. */
    private final class RocksSession implements Session, Accounts.TxnOps<RocksDBException> {
        private final ReadOptions read = new ReadOptions();
        private Transaction txn;

        @Override
        public boolean transfer(byte[] from, byte[] to, long amount) {
            txn = txn == null ? db.beginTransaction(writeOptions, txnOptions)
                    : db.beginTransaction(writeOptions, txnOptions, txn);
            try {
                read.setSnapshot(txn.getSnapshot());
                Accounts.move(this, from, to, amount);
                txn.commit();
                return true;
            } catch (RocksDBException e) {
                Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
                if (code == Status.Code.Busy || code == Status.Code.TryAgain) {
                    return false; // the next beginTransaction resets the refused transaction
                }
                throw new IllegalStateException("rocksdb transaction: " + e.getMessage(), e);
            }
        }

        @Override
        public byte[] read(byte[] key) throws RocksDBException {
            return txn.getForUpdate(read, key, true);
        }

        @Override
        public void write(byte[] key, byte[] value) throws RocksDBException {
            txn.put(key, value);
        }

        void close() {
            if (txn != null) {
                txn.close();
            }
            read.close();
        }
    }

    @Override
    public void scanAll(BiConsumer<byte[], byte[]> visitor) {
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                visitor.accept(it.key(), it.value());
            }
        }
    }

    /** RocksDB keeps no transaction counts to check against. */
    @Override
    public String checkCounts(long commits, long conflicts) {
        try {
            return "sstBytes=" + db.getProperty("rocksdb.total-sst-files-size") + " blockCacheUsage=" + options.cacheUsage();
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb getProperty: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (RocksSession s : sessions) {
            s.close();
        }
        sessions.clear();
        txnOptions.close();
        writeOptions.close();
        db.close();
        options.close();
    }
}
