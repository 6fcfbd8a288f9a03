package io.lightningdb.jmh.kv;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.ScanOrder;
import io.lightningdb.WalSyncMode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * Full scans of a cached Lightning database ({@code keys} keys of {@link Keys#VALUE_SIZE} bytes
 * loaded in random order, every leaf in memory): a cursor, and {@code Database.parallelScan} /
 * {@code parallelScanSegments} in both orders with {@code scanThreads} threads. Scores are full
 * scans per second; entries per second are the score times {@code keys}. The action adds each
 * value's length to a {@link LongAdder}, as little work as an action does.
 * {@snippet :
 * java -jar target/benchmarks.jar ParallelScanBenchmark -p scanThreads=1,2
 * }
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
        "-Xmx4g"})
@State(Scope.Benchmark)
public class ParallelScanBenchmark {
    @Param({"1000000"})
    public int keys;

    @Param({"1", "2"})
    public int scanThreads;

    private Path dir;
    private Database db;

    @Setup(Level.Trial)
    public void setup() {
        Fixture.checkKeys(keys);
        dir = Fixture.newDir("parallel-scan");
        LightningDbConfig config = LightningDbConfig.builder().cacheSize(Fixture.largeCache(keys))
                .walSyncMode(WalSyncMode.ASYNC).scanThreads(scanThreads).build();
        try (KvStore loading = LightningStore.open(dir, Fixture.largeCache(keys))) {
            Fixture.fill(loading, keys);
        }
        db = Database.open(dir, config);
        if (cursorFullScan() != keys) {
            throw new IllegalStateException("a full scan did not see " + keys + " entries");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        db.close();
        KvStore.deleteTree(dir);
    }

    /** One cursor on the benchmark's thread, for scale. */
    @Benchmark
    public long cursorFullScan() {
        long n = 0;
        try (Cursor c = db.scan(null, null)) {
            while (c.next()) {
                n += c.valueSegment().byteSize() > 0 ? 1 : 0;
            }
        }
        return n;
    }

    @Benchmark
    public long arraysAnyOrder() {
        LongAdder bytes = new LongAdder();
        return check(db.parallelScan(null, null, ScanOrder.ANY_ORDER, (k, v) -> bytes.add(v.length)));
    }

    @Benchmark
    public long arraysKeyOrder() {
        LongAdder bytes = new LongAdder();
        return check(db.parallelScan(null, null, ScanOrder.KEY_ORDER, (k, v) -> bytes.add(v.length)));
    }

    @Benchmark
    public long segmentsAnyOrder() {
        LongAdder bytes = new LongAdder();
        return check(db.parallelScanSegments(null, null, ScanOrder.ANY_ORDER, (k, v) -> bytes.add(v.byteSize())));
    }

    @Benchmark
    public long segmentsKeyOrder() {
        LongAdder bytes = new LongAdder();
        return check(db.parallelScanSegments(null, null, ScanOrder.KEY_ORDER, (k, v) -> bytes.add(v.byteSize())));
    }

    private long check(long n) {
        if (n != keys) {
            throw new IllegalStateException("a parallel scan saw " + n + " of " + keys + " entries");
        }
        return n;
    }
}
