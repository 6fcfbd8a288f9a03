package io.lightningdb.jmh.durable;

import io.lightningdb.jmh.kv.Fixture;
import io.lightningdb.jmh.kv.KvStore;
import io.lightningdb.jmh.kv.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Durable single-key commits: each operation puts one random key of the preloaded {@code keys}
 * (16-byte key, 100-byte value, a new version) and returns only once the engine has synced it
 * (fdatasync), so it survives a power loss. Sample time gives the latency percentiles per put;
 * commits per second are threads / mean latency (every thread always has one put in flight).
 * Threads come from the command line ({@code -t}); jmh/durable-bench.sh runs 1, 2, 8 and 32.
 *
 * <p>The store is preloaded once per trial through the engine's plain (unsynced) adapter, which
 * flushes and compacts it, then reopened synced: the preload is not measured, and every measured put
 * is an overwrite in a tree or LSM of {@code keys} keys. Stores live under {@code durable.dir}
 * (default target/durable-bench/tmp), on the project's disk, never tmpfs: fdatasync on tmpfs is free.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Xmx2g"})
@State(Scope.Benchmark)
public class DurableCommitBenchmark {
    static final Path BASE = Path.of(System.getProperty("durable.dir", "target/durable-bench/tmp"));

    @Param({"lightning-sync", "lightning-batch", "rocksdb-sync", "lmdb-sync"})
    public String engine;

    @Param({"100000"})
    public int keys;

    private Path dir;
    private KvStore store;

    /** A writer thread's own key sequence and version counter. */
    @State(Scope.Thread)
    public static class Writer {
        SplittableRandom random;
        long version;

        @Setup(Level.Trial)
        public void seed(ThreadParams thread) {
            random = new SplittableRandom(0xD0AB1EL + thread.getThreadIndex());
        }
    }

    @Setup(Level.Trial)
    public void preloadAndReopenSynced() throws IOException {
        Fixture.checkKeys(keys);
        Files.createDirectories(BASE);
        dir = Files.createTempDirectory(BASE, engine + "-");
        long cache = Fixture.largeCache(keys);
        try (KvStore plain = KvStore.open(engine.substring(0, engine.indexOf('-')), dir, cache, false)) {
            Fixture.fill(plain, keys);
        }
        store = KvStore.openSynced(engine, dir, cache);
    }

    @Benchmark
    public void put(Writer w) {
        long n = w.random.nextLong(keys);
        store.put(Keys.key(n), Keys.value(n, ++w.version));
    }

    @TearDown(Level.Trial)
    public void closeAndDelete() {
        Fixture.verifyCloseAndDelete(store, keys, dir);
    }
}
