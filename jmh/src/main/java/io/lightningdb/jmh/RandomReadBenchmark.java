package io.lightningdb.jmh;

import io.lightningdb.io.PageIOBackend;
import io.lightningdb.io.IoConfig;
import io.lightningdb.io.PageBatch;
import io.lightningdb.io.PageIO;
import io.lightningdb.io.PageIOs;
import io.lightningdb.io.UringPageIO;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * 4 KiB random reads with O_DIRECT from a 1 GiB file, per backend and queue depth: the figure
 * docs/benchmarks.md compares with fio. The "reads" counter is the IOPS.
 *
 * <p>Run it through {@code jmh/io-bench.sh}, which also runs fio with the same parameters on the
 * same file and prints the ratios. The file is {@code -Dlightning.bench.file} (default
 * target/bench/randread-1g.dat) and is created when absent or of another size.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class RandomReadBenchmark {
    static final int PAGE = 4096;
    static final long FILE_SIZE = 1L << 30;
    /** Requests per execute() call per unit of depth: keeps the queue full between refills. */
    static final int BATCH_PER_DEPTH = Integer.getInteger("lightning.bench.batchPerDepth", 8);

    /**
     * backend-depth[-nofixed]: POSIX and CHANNEL are synchronous, one request at a time (depth 1);
     * URING runs at depth 1 and 32, with registered buffers unless "-nofixed".
     */
    @Param({"CHANNEL-1", "POSIX-1", "URING-1", "URING-32", "URING-32-nofixed"})
    public String config;

    private Arena arena;
    private PageIO io;
    private PageBatch batch;
    private MemorySegment[] buffers;
    private SplittableRandom random;
    private long pages;

    /** JMH reports this counter per second: the IOPS. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Reads {
        public long reads;
    }

    @Setup(Level.Trial)
    public void setup() throws IOException {
        String[] parts = config.split("-");
        PageIOBackend backend = PageIOBackend.valueOf(parts[0]);
        int depth = Integer.parseInt(parts[1]);
        boolean fixed = parts.length < 3;
        Path file = Path.of(System.getProperty("lightning.bench.file", "target/bench/randread-1g.dat"));
        ensureFile(file);
        IoConfig cfg = IoConfig.builder().backend(backend).useDirectIo(true)
                .ioUringQueueDepth(depth).enableZeroCopy(fixed).build();
        io = PageIOs.open(file, PAGE, cfg);
        if (!io.directIo()) {
            throw new IllegalStateException(file + ": O_DIRECT refused; put the file on a disk filesystem");
        }
        arena = Arena.ofShared();
        int n = depth * BATCH_PER_DEPTH;
        MemorySegment slab = arena.allocate((long) n * PAGE, PAGE);
        buffers = new MemorySegment[n];
        for (int i = 0; i < n; i++) {
            buffers[i] = slab.asSlice((long) i * PAGE, PAGE);
        }
        if (fixed && io instanceof UringPageIO uring) {
            uring.registerBuffers(slab);
        }
        batch = new PageBatch(n);
        random = new SplittableRandom(42);
        pages = FILE_SIZE / PAGE;
    }

    static void ensureFile(Path file) throws IOException {
        if (Files.exists(file) && Files.size(file) == FILE_SIZE) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (PageIO w = PageIOs.open(file, PAGE, IoConfig.defaults().withBackend(PageIOBackend.POSIX));
             Arena a = Arena.ofConfined()) {
            MemorySegment chunk = a.allocate(1 << 20, PAGE);
            SplittableRandom r = new SplittableRandom(7);
            for (long i = 0; i < chunk.byteSize(); i += 8) {
                chunk.set(java.lang.foreign.ValueLayout.JAVA_LONG, i, r.nextLong());
            }
            for (long off = 0; off < FILE_SIZE; off += chunk.byteSize()) {
                w.write(off, chunk);
            }
            w.sync();
        }
    }

    @Benchmark
    public void randomRead(Reads counter) throws IOException {
        batch.clear();
        for (MemorySegment buf : buffers) {
            batch.read(random.nextLong(pages) * PAGE, buf);
        }
        io.execute(batch);
        counter.reads += buffers.length;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        io.close();
        arena.close();
    }
}
