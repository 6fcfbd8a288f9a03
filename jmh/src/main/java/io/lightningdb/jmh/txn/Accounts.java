package io.lightningdb.jmh.txn;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.jmh.kv.Fixture;
import io.lightningdb.jmh.kv.KvStore;
import io.lightningdb.jmh.kv.Keys;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The accounts the transaction benchmarks work on, and where they live. An account is a key of the
 * kv benchmarks ({@link Keys}: 16-byte key, 100-byte value); its balance is the value's "version"
 * field (bytes 8-15, big-endian), 0 after the preload, so the balances of a correct store always
 * add up to 0 however many transfers ran. Stores are preloaded by the kv benchmarks' own plain
 * adapter and fill (random order, batches, then flushed and compacted), closed, and reopened by the
 * transactional engine: the same files and settings as the kv tables.
 */
final class Accounts {
    /** Parent of every store's temporary directory: on the project's disk, not tmpfs. */
    static final Path BASE = Path.of(System.getProperty("txn.dir", "target/txn-bench/tmp"));
    /** Every line that jmh/txn-bench.sh collects starts with this. */
    static final String CHECK_TAG = "txn-check";
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int BALANCE_OFFSET = 8;

    private Accounts() {}

    /** A new empty directory for one store under {@link #BASE}. */
    static Path newDir(String engine) {
        return Fixture.newDir(BASE, engine);
    }

    /** Loads {@code keys} accounts into {@code dir} through the plain kv adapter of {@code plainEngine}, checks and closes it. */
    static void preload(String plainEngine, Path dir, int keys) {
        Fixture.checkKeys(keys);
        try (KvStore s = KvStore.open(plainEngine, dir, Fixture.largeCache(keys), false)) {
            Fixture.fill(s, keys);
            Fixture.verify(s, keys);
        }
    }

    /** Lightning as the kv benchmarks open it: a cache that holds everything, {@link WalSyncMode#ASYNC}. */
    static Database openLightning(Path dir, int keys) {
        return openLightning(dir, keys, true);
    }

    /** {@code optimistic} false: {@code optimisticLocking(false)}, key locks taken by writes and getForUpdate. */
    static Database openLightning(Path dir, int keys, boolean optimistic) {
        return Database.open(dir, LightningDbConfig.builder().cacheSize(Fixture.largeCache(keys))
                .walSyncMode(WalSyncMode.ASYNC).optimisticLocking(optimistic).build());
    }

    /** The reads and writes of one open transaction, whatever the engine. */
    interface TxnOps<E extends Exception> {
        /** The value of {@code key} in the transaction, or null. */
        byte[] read(byte[] key) throws E;

        /** Sets {@code key} to {@code value} in the transaction. */
        void write(byte[] key, byte[] value) throws E;
    }

    /**
     * The body of every engine's transfer, so all run the same reads and writes: reads {@code from}
     * and {@code to}, checks both are their accounts' values, writes both back with {@code amount}
     * moved from the first to the second.
     */
    static <E extends Exception> void move(TxnOps<E> tx, byte[] from, byte[] to, long amount) throws E {
        byte[] a = tx.read(from);
        byte[] b = tx.read(to);
        long balanceA = balance(Keys.number(from), a);
        long balanceB = balance(Keys.number(to), b);
        tx.write(from, withBalance(a, balanceA - amount));
        tx.write(to, withBalance(b, balanceB + amount));
    }

    /** The balance in {@code value}, after checking it is a value of account {@code n}. */
    private static long balance(long n, byte[] value) {
        Keys.check(n, value);
        return (long) LONG_BE.get(value, BALANCE_OFFSET);
    }

    /** {@code value} (changed in place) with its balance set to {@code balance}. */
    private static byte[] withBalance(byte[] value, long balance) {
        LONG_BE.set(value, BALANCE_OFFSET, balance);
        return value;
    }

    /**
     * Visits every account of {@code engine} in key order and returns the sum of the balances;
     * throws unless the accounts are exactly 0..keys-1, each with a value of its own. Also warms
     * the engine's cache, as the kv benchmarks' full scan does.
     */
    static long checkedSum(TxnEngine engine, int keys) {
        return checkedSum(engine.name(), engine::scanAll, keys);
    }

    /** {@link #checkedSum(TxnEngine, int)} over what {@code scanAll} visits, for a store that is no TxnEngine. */
    static long checkedSum(String engine, Consumer<BiConsumer<byte[], byte[]>> scanAll, int keys) {
        long[] next = {0};
        long[] sum = {0};
        scanAll.accept((key, value) -> {
            long n = Keys.number(key);
            if (key.length != Keys.KEY_SIZE || n != next[0]) {
                throw new IllegalStateException(engine + ": account " + next[0] + " expected in key order, found "
                        + n + " (" + key.length + "-byte key)");
            }
            sum[0] += balance(n, value);
            next[0]++;
        });
        if (next[0] != keys) {
            throw new IllegalStateException(engine + ": " + next[0] + " accounts, expected " + keys);
        }
        return sum[0];
    }
}
