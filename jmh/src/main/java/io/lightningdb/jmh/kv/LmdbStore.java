package io.lightningdb.jmh.kv;

import static java.nio.ByteBuffer.allocateDirect;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava: MDB_NOSYNC | MDB_NOMETASYNC (commits reach the OS, not the disk; or, with
 * {@code sync}, LMDB's default: a commit returns after its pages and meta page are fdatasync'd),
 * MDB_NOTLS so a thread's reusable read transaction is not pinned to an OS thread slot, default
 * memcmp key order (unsigned). No cache knob: LMDB reads through mmap, so the OS page cache is its
 * cache. A put is one write transaction (LMDB's own single-put path); reads renew a per-thread read
 * transaction, the usual LMDB fast path.
 */
public final class LmdbStore implements KvStore {
    /** The map is address space, not memory: large enough for any run of these benchmarks. */
    static final long MAP_SIZE = 64L << 30;
    /** The one named database of the environment. */
    public static final String DB_NAME = "kv";

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> dbi;
    private final List<Reader> readers = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Reader> reader = ThreadLocal.withInitial(this::newReader);
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

    /** A thread's read transaction (reset between operations) and key buffer. */
    private static final class Reader {
        final Txn<ByteBuffer> txn;
        final ByteBuffer key = allocateDirect(Keys.KEY_SIZE * 2);

        Reader(Txn<ByteBuffer> txn) {
            this.txn = txn;
            txn.reset();
        }
    }

    /** A thread's key and value buffers for writes (LMDB takes direct buffers). */
    private static final class Buffers {
        ByteBuffer key = allocateDirect(64);
        ByteBuffer value = allocateDirect(256);
    }

    private LmdbStore(Env<ByteBuffer> env) {
        this.env = env;
        this.dbi = env.openDbi(DB_NAME, DbiFlags.MDB_CREATE);
    }

    static LmdbStore open(Path dir) {
        return open(dir, false);
    }

    /** {@code sync}: no NOSYNC flags, so every write transaction is synced at commit. */
    static LmdbStore open(Path dir, boolean sync) {
        return new LmdbStore(openEnv(dir, sync));
    }

    /**
     * The environment in {@code dir} (created if absent) with the flags above: what other
     * benchmarks open to drive LMDB's transactions themselves, on a store this class loaded.
     */
    public static Env<ByteBuffer> openEnv(Path dir, boolean sync) {
        EnvFlags[] flags = sync ? new EnvFlags[] {EnvFlags.MDB_NOTLS}
                : new EnvFlags[] {EnvFlags.MDB_NOSYNC, EnvFlags.MDB_NOMETASYNC, EnvFlags.MDB_NOTLS};
        return Env.create().setMapSize(MAP_SIZE).setMaxDbs(1).setMaxReaders(256)
                .open(KvStore.existingDir(dir).toFile(), flags);
    }

    private Reader newReader() {
        Reader r = new Reader(env.txnRead());
        readers.add(r);
        return r;
    }

    /** {@code buf} cleared, holding {@code bytes}, flipped for LMDB to read. */
    public static ByteBuffer fill(ByteBuffer buf, byte[] bytes) {
        buf.clear();
        buf.put(bytes).flip();
        return buf;
    }

    /** The remaining bytes of {@code buf} (typically pointing into the map) in a new array. */
    public static byte[] copy(ByteBuffer buf) {
        byte[] out = new byte[buf.remaining()];
        buf.get(out);
        return out;
    }

    private void put(Buffers b, Txn<ByteBuffer> txn, byte[] key, byte[] value) {
        if (b.key.capacity() < key.length) {
            b.key = allocateDirect(key.length);
        }
        if (b.value.capacity() < value.length) {
            b.value = allocateDirect(value.length);
        }
        dbi.put(txn, fill(b.key, key), fill(b.value, value));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        Buffers b = buffers.get();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            put(b, txn, key, value);
            txn.commit();
        }
    }

    @Override
    public byte[] get(byte[] key) {
        Reader r = reader.get();
        r.txn.renew();
        try {
            ByteBuffer v = dbi.get(r.txn, fill(r.key, key));
            return v == null ? null : copy(v);
        } finally {
            r.txn.reset();
        }
    }

    @Override
    public long scan(byte[] from, int n) {
        Reader r = reader.get();
        r.txn.renew();
        long bytes = 0;
        try (Cursor<ByteBuffer> c = dbi.openCursor(r.txn)) {
            if (n > 0 && c.get(fill(r.key, from), GetOp.MDB_SET_RANGE)) {
                int i = 0;
                do {
                    bytes += copy(c.key()).length + copy(c.val()).length;
                } while (++i < n && c.next());
            }
        } finally {
            r.txn.reset();
        }
        return bytes;
    }

    @Override
    public void putAll(byte[][] keys, byte[][] values, int count) {
        Buffers b = buffers.get();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = 0; i < count; i++) {
                put(b, txn, keys[i], values[i]);
            }
            txn.commit();
        }
    }

    @Override
    public void flush() {
        env.sync(true);
    }

    @Override
    public String report() {
        return "pages=" + (env.info().lastPageNumber + 1) + " pageSize=" + env.stat().pageSize;
    }

    @Override
    public void close() {
        for (Reader r : readers) {
            r.txn.close();
        }
        readers.clear();
        dbi.close();
        env.close();
    }
}
