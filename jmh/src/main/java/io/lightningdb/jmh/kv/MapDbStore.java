package io.lightningdb.jmh.kv;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * MapDB 3: a BTreeMap in a file store with memory-mapped I/O (fileMmapEnable), no transactions
 * (no write-ahead log: a put updates the mapped file in place), thread-safe default locking,
 * Serializer.BYTE_ARRAY, which compares as unsigned bytes. No cache knob: with mmap the OS page
 * cache is the cache.
 */
final class MapDbStore extends MapStore {
    private final DB db;
    private final BTreeMap<byte[], byte[]> map;

    private MapDbStore(DB db, BTreeMap<byte[], byte[]> map) {
        super(map);
        this.db = db;
        this.map = map;
    }

    static MapDbStore open(Path dir) {
        DB db = DBMaker.fileDB(KvStore.existingDir(dir).resolve("kv.mapdb").toFile()).fileMmapEnable().make();
        return new MapDbStore(db, db.treeMap("kv", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen());
    }

    @Override
    public long scan(byte[] from, int n) {
        long bytes = 0;
        Iterator<Map.Entry<byte[], byte[]>> it = map.tailMap(from, true).entrySet().iterator();
        for (int i = 0; i < n && it.hasNext(); i++) {
            Map.Entry<byte[], byte[]> e = it.next();
            bytes += e.getKey().length + e.getValue().length;
        }
        return bytes;
    }

    /** Without transactions, commit syncs the mapped file. */
    @Override
    public void flush() {
        db.commit();
    }

    @Override
    public void close() {
        db.close();
    }
}
