package io.lightningdb.jmh.txn;

import io.lightningdb.IsolationLevel;
import io.lightningdb.jmh.kv.Fixture;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * One engine's transfer transaction, so that {@link TxnRmwBenchmark} runs the same loop on every
 * engine: begin, read two accounts, write both with an amount moved from one to the other, commit.
 * A thread works through its own {@link Session}; retrying a refused commit is the caller's.
 *
 * {@snippet :
 * try (TxnEngine e = TxnEngine.open("rocksdb", dir, 100_000)) {
 *     TxnEngine.Session s = e.newSession();
 *     boolean committed = s.transfer(Keys.key(1), Keys.key(2), 10);
 * }
 * }
 */
interface TxnEngine extends AutoCloseable {
    /** Engines in the order the tables list them. */
    List<String> ENGINES = List.of("lightning", "lightning-serializable", "lightning-pessimistic", "rocksdb", "lmdb");

    /** Preloads {@code keys} accounts into the empty {@code dir} and opens {@code engine} on them. */
    static TxnEngine open(String engine, Path dir, int keys) {
        long cache = Fixture.largeCache(keys);
        return switch (engine) {
            case "lightning" -> {
                Accounts.preload("lightning", dir, keys);
                yield new LightningTxnEngine(engine, Accounts.openLightning(dir, keys), IsolationLevel.SNAPSHOT);
            }
            case "lightning-serializable" -> {
                Accounts.preload("lightning", dir, keys);
                yield new LightningTxnEngine(engine, Accounts.openLightning(dir, keys), IsolationLevel.SERIALIZABLE);
            }
            case "lightning-pessimistic" -> {
                Accounts.preload("lightning", dir, keys);
                yield new LightningTxnEngine(engine, Accounts.openLightning(dir, keys, false), IsolationLevel.SNAPSHOT,
                        true);
            }
            case "rocksdb" -> {
                Accounts.preload("rocksdb", dir, keys);
                yield RocksTxnEngine.open(dir, cache);
            }
            case "lmdb" -> {
                Accounts.preload("lmdb", dir, keys);
                yield LmdbTxnEngine.open(dir);
            }
            default -> throw new IllegalArgumentException("engine must be one of " + ENGINES + ", got " + engine);
        };
    }

    String name();

    /** A new session for one thread; what it holds is released by {@link #close()}. */
    Session newSession();

    /** Visits every entry in ascending key order (keys and values are the visitor's to keep). */
    void scanAll(BiConsumer<byte[], byte[]> visitor);

    /**
     * Checks the engine's own transaction figures against what the sessions' callers counted, with
     * no transfer in flight; throws on a mismatch. Returns the figures worth printing, as
     * {@code name=value} pairs (empty if none).
     */
    String checkCounts(long commits, long conflicts);

    /** Closes every session, then the store. */
    @Override
    void close();

    /** One thread's handle: what the engine reuses from one transaction to the next. */
    interface Session {
        /**
         * One attempt: begin, read the accounts {@code from} and {@code to}, take {@code amount}
         * from the first and add it to the second, commit. True when committed; false when the
         * engine refused the commit for a conflict, in which case nothing of it was applied.
         */
        boolean transfer(byte[] from, byte[] to, long amount);
    }
}
