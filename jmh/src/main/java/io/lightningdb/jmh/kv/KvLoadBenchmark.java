package io.lightningdb.jmh.kv;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading {@code keys} keys into a fresh, empty store with single puts from one thread, then one
 * {@link KvStore#flush()} so the data is on disk: each invocation is a whole load (single-shot
 * time; jmh/kv-bench.sh reports keys / time as puts per second). Counting the final flush puts
 * every engine on the same footing: without it Lightning DB (no WAL) would be timed for memory
 * writes only while RocksDB had written its WAL, and the engines that write back lazily (MVStore,
 * MapDB, LMDB through the OS) would leave their I/O outside the clock. Opening the empty store and
 * closing and deleting the loaded one are outside the clock.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Xmx4g"})
@State(Scope.Benchmark)
public class KvLoadBenchmark {
    @Param({"lightning", "rocksdb", "lmdb", "mvstore", "mapdb"})
    public String engine;

    @Param({"1000000"})
    public int keys;

    static final int BATCH = 1000;

    private int[] order;
    private Path dir;
    private KvStore store;

    @Setup(Level.Trial)
    public void setupTrial() {
        Fixture.checkKeys(keys);
        order = Keys.shuffled(keys, Fixture.LOAD_SEED);
    }

    @Setup(Level.Iteration)
    public void openEmpty() {
        dir = Fixture.newDir(engine);
        store = KvStore.open(engine, dir, Fixture.largeCache(keys), false);
    }

    @Benchmark
    public void loadRandom() {
        for (int n : order) {
            store.put(Keys.key(n), Keys.value(n, 0));
        }
        store.flush();
    }

    /** The random load in batches of 1,000 through each engine's own atomic batch ({@link KvStore#writeBatch}). */
    @Benchmark
    public void loadBatched() {
        byte[][] k = new byte[BATCH][];
        byte[][] v = new byte[BATCH][];
        for (int i = 0; i < order.length; i += BATCH) {
            int n = Math.min(BATCH, order.length - i);
            for (int j = 0; j < n; j++) {
                k[j] = Keys.key(order[i + j]);
                v[j] = Keys.value(order[i + j], 0);
            }
            store.writeBatch(k, v, n);
        }
        store.flush();
    }

    @Benchmark
    public void loadSequential() {
        for (int n = 0; n < keys; n++) {
            store.put(Keys.key(n), Keys.value(n, 0));
        }
        store.flush();
    }

    @TearDown(Level.Iteration)
    public void closeAndDelete() {
        Fixture.verifyCloseAndDelete(store, keys, dir);
    }
}
