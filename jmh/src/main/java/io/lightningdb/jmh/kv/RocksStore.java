package io.lightningdb.jmh.kv;

import java.nio.file.Path;
import java.util.List;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB with the settings docs/benchmarks.md lists ({@link RocksOptions}: LRU block cache of
 * {@code cacheBytes} holding index and filter blocks, 10-bit Bloom filters, no compression, direct
 * reads only when asked), WAL on with sync=false (or sync=true: every write fdatasync'd before it
 * returns, concurrent writers grouped by RocksDB's write-thread leader).
 */
final class RocksStore implements KvStore {
    private final RocksOptions options;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final RocksDB db;

    private RocksStore(RocksOptions options, RocksDB db, boolean sync) {
        this.options = options;
        this.db = db;
        this.writeOptions = new WriteOptions().setSync(sync);
        this.readOptions = new ReadOptions();
    }

    static RocksStore open(Path dir, long cacheBytes, boolean directReads) {
        return open(dir, cacheBytes, directReads, false);
    }

    /** {@code sync}: {@code WriteOptions.setSync(true)}, a write returns once its WAL record is synced. */
    static RocksStore open(Path dir, long cacheBytes, boolean directReads, boolean sync) {
        RocksOptions options = RocksOptions.create(cacheBytes, directReads);
        try {
            return new RocksStore(options, RocksDB.open(options.options(), dir.toString()), sync);
        } catch (RocksDBException e) {
            options.close();
            throw new IllegalStateException("rocksdb open " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        try {
            db.put(writeOptions, key, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb put: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        try {
            return db.get(readOptions, key);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb get: " + e.getMessage(), e);
        }
    }

    @Override
    public List<byte[]> multiGet(List<byte[]> keys) {
        try {
            return db.multiGetAsList(readOptions, keys);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb multiGet: " + e.getMessage(), e);
        }
    }

    @Override
    public long scan(byte[] from, int n) {
        long bytes = 0;
        try (RocksIterator it = db.newIterator(readOptions)) {
            it.seek(from);
            for (int i = 0; i < n && it.isValid(); i++) {
                bytes += it.key().length + it.value().length;
                it.next();
            }
        }
        return bytes;
    }

    @Override
    public void putAll(byte[][] keys, byte[][] values, int count) {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < count; i++) {
                batch.put(keys[i], values[i]);
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb write: " + e.getMessage(), e);
        }
    }

    /** Memtables to SST files, then the WAL synced: everything on disk once. */
    @Override
    public void flush() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo);
            db.syncWal();
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb flush: " + e.getMessage(), e);
        }
    }

    @Override
    public void compact() {
        try {
            db.compactRange();
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb compactRange: " + e.getMessage(), e);
        }
    }

    @Override
    public String report() {
        try {
            return "blockCacheUsage=" + options.cacheUsage() + " sstBytes=" + db.getProperty("rocksdb.total-sst-files-size")
                    + " l0Files=" + db.getProperty("rocksdb.num-files-at-level0");
        } catch (RocksDBException e) {
            throw new IllegalStateException("rocksdb getProperty: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        readOptions.close();
        writeOptions.close();
        db.close();
        options.close();
    }
}
