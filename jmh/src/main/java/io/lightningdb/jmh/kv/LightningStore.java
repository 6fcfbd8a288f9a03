package io.lightningdb.jmh.kv;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.DatabaseStats;
import io.lightningdb.LightningDbConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * Lightning DB through its public API only, default settings except the cache: 4 KiB pages,
 * O_DIRECT, io_uring when available, SIMD node search. No WAL exists yet, so a put is an in-memory
 * B-link tree update until {@link #flush()} or eviction writes its page. Loads use the default
 * {@link KvStore#putAll} of plain puts: a WriteBatch adds an undo read per key, and there is no
 * log to amortise.
 */
final class LightningStore implements KvStore {
    private final Database db;

    private LightningStore(Database db) {
        this.db = db;
    }

    static LightningStore open(Path dir, long cacheBytes) {
        LightningDbConfig config = LightningDbConfig.builder().cacheSize(cacheBytes).build();
        return new LightningStore(Database.open(dir, config));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        db.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return db.get(key);
    }

    @Override
    public List<byte[]> multiGet(List<byte[]> keys) {
        return db.multiGet(keys);
    }

    @Override
    public long scan(byte[] from, int n) {
        long bytes = 0;
        try (Cursor c = db.scan(from, null)) {
            for (int i = 0; i < n && c.next(); i++) {
                bytes += c.key().length + c.value().length;
            }
        }
        return bytes;
    }

    @Override
    public void flush() {
        db.flush();
    }

    @Override
    public String report() {
        DatabaseStats s = db.stats();
        return "cacheSize=" + s.cacheSize() + " offHeap=" + s.offHeapBytes() + " cacheUsed=" + s.cacheUsed()
                + " pageSize=" + s.pageSize() + " pages=" + s.pages() + " height=" + s.treeHeight()
                + " hitRatio=" + String.format("%.4f", s.cacheHitRatio()) + " faults=" + s.pageFaults()
                + " evictions=" + s.evictions() + " search=" + s.search();
    }

    @Override
    public void close() {
        db.close();
    }
}
