package io.lightningdb.jmh.txn;

import static java.nio.ByteBuffer.allocateDirect;

import io.lightningdb.jmh.kv.Keys;
import io.lightningdb.jmh.kv.LmdbStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.CursorIterable.KeyVal;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * LMDB write transactions through lmdbjava, on the environment the kv benchmarks open
 * ({@link LmdbStore#openEnv}: MDB_NOSYNC | MDB_NOMETASYNC, commits reach the OS page cache):
 * {@code txnWrite}, two gets (values copied out of the map, as the kv adapter's reads do), two
 * puts, commit. LMDB runs one write transaction at a time (a mutex), so a commit is never refused
 * and a second thread waits for the first.
 */
final class LmdbTxnEngine implements TxnEngine {
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> dbi;

    private LmdbTxnEngine(Env<ByteBuffer> env) {
        this.env = env;
        this.dbi = env.openDbi(LmdbStore.DB_NAME, DbiFlags.MDB_CREATE);
    }

    static LmdbTxnEngine open(Path dir) {
        return new LmdbTxnEngine(LmdbStore.openEnv(dir, false));
    }

    @Override
    public String name() {
        return "lmdb";
    }

    @Override
    public Session newSession() {
        return new LmdbSession();
    }

    /**
     * A thread's direct buffers (LMDB takes keys and values in direct buffers); the session is the
     * {@link Accounts.TxnOps} of its open write transaction.
     */
    private final class LmdbSession implements Session, Accounts.TxnOps<RuntimeException> {
        private final ByteBuffer key = allocateDirect(Keys.KEY_SIZE);
        private final ByteBuffer value = allocateDirect(Keys.VALUE_SIZE);
        private Txn<ByteBuffer> txn;

        @Override
        public boolean transfer(byte[] from, byte[] to, long amount) {
            try (Txn<ByteBuffer> t = env.txnWrite()) {
                txn = t;
                Accounts.move(this, from, to, amount);
                t.commit();
                return true;
            } finally {
                txn = null;
            }
        }

        /** A copy: the buffer LMDB returns points into the map and is reused by the next get. */
        @Override
        public byte[] read(byte[] k) {
            ByteBuffer v = dbi.get(txn, LmdbStore.fill(key, k));
            return v == null ? null : LmdbStore.copy(v);
        }

        @Override
        public void write(byte[] k, byte[] v) {
            dbi.put(txn, LmdbStore.fill(key, k), LmdbStore.fill(value, v));
        }
    }

    @Override
    public void scanAll(BiConsumer<byte[], byte[]> visitor) {
        try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> it = dbi.iterate(txn)) {
            for (KeyVal<ByteBuffer> kv : it) {
                visitor.accept(LmdbStore.copy(kv.key()), LmdbStore.copy(kv.val()));
            }
        }
    }

    /** Writers are serialized: a refused commit would be a bug in the benchmark. */
    @Override
    public String checkCounts(long commits, long conflicts) {
        if (conflicts != 0) {
            throw new IllegalStateException("lmdb: " + conflicts + " refused commits counted, but LMDB never refuses one");
        }
        return "pages=" + (env.info().lastPageNumber + 1);
    }

    @Override
    public void close() {
        dbi.close();
        env.close();
    }
}
