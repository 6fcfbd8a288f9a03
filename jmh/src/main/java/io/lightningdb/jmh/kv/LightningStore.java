package io.lightningdb.jmh.kv;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.DatabaseStats;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.WriteBatch;
import java.nio.file.Path;
import java.util.List;

/**
 * Lightning DB through its public API only, default settings except the cache and the sync mode:
 * 4 KiB pages, O_DIRECT, io_uring when available, SIMD node search. Loads use the default
 * {@link KvStore#putAll} of plain puts (a WriteBatch adds an undo read per key).
 *
 * <p>Durability matches the peers of the kv benchmarks, none of which syncs a put: Lightning runs
 * {@link WalSyncMode#ASYNC} (a put is logged and applied, the log synced every 10 ms by a
 * background thread); RocksDB writes its WAL with {@code sync=false} (to the OS, synced only by
 * {@code flush()}); LMDB runs {@code MDB_NOSYNC | MDB_NOMETASYNC} (commits reach the OS page cache);
 * H2 MVStore autocommits chunks in the background without fsync; MapDB has no log and syncs only at
 * {@code commit()}. A process kill loses nothing in any of them; a power loss loses the unsynced
 * tail. Synced commits (fdatasync per put) are measured apart, by
 * {@code io.lightningdb.jmh.durable.DurableCommitBenchmark} through {@link KvStore#openSynced}.
 */
final class LightningStore implements KvStore {
    private final Database db;

    private LightningStore(Database db) {
        this.db = db;
    }

    static LightningStore open(Path dir, long cacheBytes) {
        return open(dir, cacheBytes, WalSyncMode.ASYNC);
    }

    static LightningStore open(Path dir, long cacheBytes, WalSyncMode mode) {
        LightningDbConfig config = LightningDbConfig.builder().cacheSize(cacheBytes).walSyncMode(mode).build();
        return new LightningStore(Database.open(dir, config));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        db.put(key, value);
    }

    @Override
    public void writeBatch(byte[][] keys, byte[][] values, int count) {
        WriteBatch batch = db.newWriteBatch();
        for (int i = 0; i < count; i++) {
            batch.put(keys[i], values[i]);
        }
        db.write(batch);
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

    /**
     * A checkpoint: every page in the data file and synced, the log truncated. Not just
     * {@code db.flush()} (a log sync): the peers' flushes leave their data in its final files
     * too (RocksDB's memtable flush to SST files), so the load's clock includes the same work.
     */
    @Override
    public void flush() {
        db.checkpoint();
    }

    @Override
    public String report() {
        DatabaseStats s = db.stats();
        return "cacheSize=" + s.cacheSize() + " offHeap=" + s.offHeapBytes() + " cacheUsed=" + s.cacheUsed()
                + " pageSize=" + s.pageSize() + " pages=" + s.pages() + " height=" + s.treeHeight()
                + " hitRatio=" + String.format("%.4f", s.cacheHitRatio()) + " faults=" + s.pageFaults()
                + " evictions=" + s.evictions() + " search=" + s.search()
                + " checkpoints=" + s.durability().checkpoints()
                + " maxCheckpointStallMs=" + String.format("%.1f", s.durability().maxCheckpointStall().toNanos() / 1e6);
    }

    @Override
    public void close() {
        db.close();
    }
}
