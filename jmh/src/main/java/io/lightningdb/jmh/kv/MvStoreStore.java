package io.lightningdb.jmh.kv;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * H2's MVStore: one MVMap of byte arrays ordered as unsigned bytes, default autocommit (a
 * background thread writes a chunk when about 1 MB of changes have gathered; no fsync per write),
 * page cache of {@code cacheBytes} (MVStore counts it in MiB, on the Java heap). MVStore keeps
 * values as the objects it was given: {@link #get} returns its own array, with no copy.
 */
final class MvStoreStore extends MapStore {
    private final MVStore store;
    private final MVMap<byte[], byte[]> map;

    /** byte[] keys and values; compared as unsigned bytes (H2's ByteArrayDataType cannot compare). */
    static final class UnsignedBytes extends BasicDataType<byte[]> {
        static final UnsignedBytes INSTANCE = new UnsignedBytes();

        @Override
        public int getMemory(byte[] v) {
            return 24 + v.length;
        }

        @Override
        public void write(WriteBuffer buff, byte[] v) {
            buff.putVarInt(v.length).put(v);
        }

        @Override
        public byte[] read(ByteBuffer buff) {
            byte[] v = new byte[DataUtils.readVarInt(buff)];
            buff.get(v);
            return v;
        }

        @Override
        public int compare(byte[] a, byte[] b) {
            return Arrays.compareUnsigned(a, b);
        }

        @Override
        public byte[][] createStorage(int size) {
            return new byte[size][];
        }
    }

    private MvStoreStore(MVStore store, MVMap<byte[], byte[]> map) {
        super(map);
        this.store = store;
        this.map = map;
    }

    static MvStoreStore open(Path dir, long cacheBytes) {
        int cacheMb = (int) Math.max(1, cacheBytes >> 20);
        MVStore store = new MVStore.Builder().fileName(KvStore.existingDir(dir).resolve("kv.mv").toString())
                .cacheSize(cacheMb).open();
        return new MvStoreStore(store, store.openMap("kv", new MVMap.Builder<byte[], byte[]>()
                .keyType(UnsignedBytes.INSTANCE).valueType(UnsignedBytes.INSTANCE)));
    }

    @Override
    public long scan(byte[] from, int n) {
        long bytes = 0;
        Cursor<byte[], byte[]> c = map.cursor(from);
        for (int i = 0; i < n && c.hasNext(); i++) {
            byte[] k = c.next();
            bytes += k.length + c.getValue().length;
        }
        return bytes;
    }

    @Override
    public void flush() {
        store.commit();
        store.sync();
    }

    @Override
    public String report() {
        return "cacheUsedMiB=" + store.getCacheSizeUsed();
    }

    @Override
    public void close() {
        store.close();
    }
}
