package io.lightningdb.jmh.kv;

import io.lightningdb.WalSyncMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The few operations the key-value benchmarks need, over Lightning DB and its peers, so that
 * every engine runs the same loop. Keys are compared as unsigned bytes by every implementation.
 * Values come back as arrays the caller may keep (each engine's ordinary Java read path).
 *
 * {@snippet :
 * try (KvStore s = KvStore.open("rocksdb", dir, 512L << 20, false)) {
 *     s.put(Keys.key(7), Keys.value(7, 0));
 *     byte[] v = s.get(Keys.key(7));
 * }
 * }
 */
public interface KvStore extends AutoCloseable {
    /** Engines in the order the tables list them. */
    List<String> ENGINES = List.of("lightning", "rocksdb", "lmdb", "mvstore", "mapdb");

    /**
     * Opens (creating) the engine's store in {@code dir}. {@code cacheBytes} is the engine's own
     * cache where it has one; {@code directReads} asks for reads that bypass the OS page cache
     * where the engine can (Lightning always reads with O_DIRECT; RocksDB use_direct_reads), so
     * that a cache smaller than the data really is the only memory between reads and the disk.
     */
    static KvStore open(String engine, Path dir, long cacheBytes, boolean directReads) {
        return switch (engine) {
            case "lightning" -> LightningStore.open(dir, cacheBytes);
            case "rocksdb" -> RocksStore.open(dir, cacheBytes, directReads);
            case "lmdb" -> LmdbStore.open(dir);
            case "mvstore" -> MvStoreStore.open(dir, cacheBytes);
            case "mapdb" -> MapDbStore.open(dir);
            default -> throw new IllegalArgumentException("engine must be one of " + ENGINES + ", got " + engine);
        };
    }

    /**
     * Engines whose put returns only once the write is on stable storage (fdatasync'd), for
     * {@link #openSynced}: Lightning in SYNC and BATCH (group commit) mode, RocksDB with
     * {@code sync=true}, LMDB with its default (synced) commits.
     */
    List<String> SYNCED_ENGINES = List.of("lightning-sync", "lightning-batch", "rocksdb-sync", "lmdb-sync");

    /**
     * Opens (creating) {@code dir} with one of {@link #SYNCED_ENGINES}: a store whose every put is
     * durable when it returns. The part before the dash names the plain engine of {@link #open},
     * whose store in {@code dir} this one may reopen.
     */
    static KvStore openSynced(String engine, Path dir, long cacheBytes) {
        return switch (engine) {
            case "lightning-sync" -> LightningStore.open(dir, cacheBytes, WalSyncMode.SYNC);
            case "lightning-batch" -> LightningStore.open(dir, cacheBytes, WalSyncMode.BATCH);
            case "rocksdb-sync" -> RocksStore.open(dir, cacheBytes, false, true);
            case "lmdb-sync" -> LmdbStore.open(dir, true);
            default -> throw new IllegalArgumentException("engine must be one of " + SYNCED_ENGINES + ", got " + engine);
        };
    }

    /** Sets {@code key} to {@code value}: one committed write in the engine's own terms. */
    void put(byte[] key, byte[] value);

    /** The value of {@code key}, or null. */
    byte[] get(byte[] key);

    /** The values of {@code keys} in order; engines with a batched read use it. */
    default List<byte[]> multiGet(List<byte[]> keys) {
        List<byte[]> out = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            out.add(get(k));
        }
        return out;
    }

    /**
     * Visits up to {@code n} entries in ascending key order from the first key at or above
     * {@code from}, copying out each key and value; returns the bytes visited (keys plus values).
     */
    long scan(byte[] from, int n);

    /**
     * Puts {@code count} entries in one batch or transaction where the engine has one (RocksDB,
     * LMDB override this); plain puts otherwise.
     */
    default void putAll(byte[][] keys, byte[][] values, int count) {
        for (int i = 0; i < count; i++) {
            put(keys[i], values[i]);
        }
    }

    /**
     * Puts {@code count} entries as the engine's own atomic batch, as a user loading in batches
     * would: RocksDB's and LMDB's {@link #putAll}, Lightning DB's {@code WriteBatch}; plain puts
     * where the engine has no batch (MVStore, MapDB).
     */
    default void writeBatch(byte[][] keys, byte[][] values, int count) {
        putAll(keys, values, count);
    }

    /** Writes everything to the files and syncs them once: the end of a load. */
    void flush();

    /** Brings the store to its best read shape after a load (RocksDB: a full compaction). */
    default void compact() {}

    /** Engine figures worth printing at teardown, as {@code name=value} pairs; empty if none. */
    default String report() {
        return "";
    }

    /** Closes the store, writing what it holds. */
    @Override
    void close();

    /** Creates {@code dir} if absent (for engines that want it to exist) and returns it. */
    static Path existingDir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of all files under {@code dir}. */
    static long dirBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new IllegalStateException(p + ": " + e.getMessage(), e);
                }
            }).sum();
        } catch (IOException e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes {@code dir} and everything under it. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new IllegalStateException(dir + ": " + e.getMessage(), e);
        }
    }
}
