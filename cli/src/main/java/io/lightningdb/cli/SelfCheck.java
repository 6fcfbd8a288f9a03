package io.lightningdb.cli;

import io.lightningdb.Capabilities;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.io.IOBackendUnavailableException;
import io.lightningdb.io.PageIOBackend;
import io.lightningdb.io.IoConfig;
import io.lightningdb.io.PageBatch;
import io.lightningdb.io.PageIO;
import io.lightningdb.io.PageIOs;
import io.lightningdb.io.UringPageIO;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lightning selfcheck}: which native features this machine offers, and the 4 KiB
 * random-read IOPS of each I/O backend with O_DIRECT on a scratch file in {@code --dir}.
 * A quick health check, not a benchmark: jmh/io-bench.sh is the measured comparison with fio.
 */
@Command(name = "selfcheck", description = {"Native features found here and 4K random-read IOPS per I/O backend.",
    "Which of libc, io_uring, O_DIRECT, NUMA and SIMD this machine offers, and the",
    "measured 4 KiB random-read IOPS of each I/O backend on a scratch file."})
final class SelfCheck implements Callable<Integer> {
    private static final int PAGE = 4096;
    private static final int BATCH_PER_DEPTH = 8;

    @Spec
    private CommandSpec spec;
    @Option(names = {"--dir", "--db"}, paramLabel = "DIR", defaultValue = "data",
            description = "where the scratch file goes (default: ${DEFAULT-VALUE}); use a disk, not tmpfs")
    private Path dir;
    @Option(names = "--file-size", paramLabel = "MiB", defaultValue = "256",
            description = "scratch file size in MiB (default: ${DEFAULT-VALUE}, 16 to 65536)")
    private long fileMiB;
    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "measuring time per backend (default: ${DEFAULT-VALUE}, 0.1 to 600)")
    private double seconds;

    @Override
    public Integer call() throws IOException {
        if (fileMiB < 16 || fileMiB > 65536) {
            throw new ParameterException(spec.commandLine(), "--file-size must be an integer in [16, 65536], got '"
                    + fileMiB + "'");
        }
        if (!(seconds >= 0.1 && seconds <= 600)) {
            throw new ParameterException(spec.commandLine(), "--seconds must be a number in [0.1, 600], got '" + seconds
                    + "'");
        }
        PrintWriter out = Main.of(spec).out();
        Files.createDirectories(dir);
        Capabilities caps = Capabilities.detect(LightningDbConfig.defaults(), dir);
        out.println("Lightning DB self-check: Java " + Runtime.version() + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        out.println();
        out.println("native features:");
        for (String line : caps.describe()) {
            out.println("  " + line);
        }
        out.println();
        Path file = dir.resolve("selfcheck-" + ProcessHandle.current().pid() + ".io");
        try {
            layOut(file, fileMiB << 20);
            out.printf("4 KiB random reads, O_DIRECT, %d MiB file in %s, %.1f s per backend:%n",
                    fileMiB, dir.toAbsolutePath(), seconds);
            out.printf("  %-8s %5s  %12s%n", "backend", "depth", "IOPS");
            measure(out, file, fileMiB << 20, PageIOBackend.CHANNEL, 1, seconds);
            measure(out, file, fileMiB << 20, PageIOBackend.POSIX, 1, seconds);
            measure(out, file, fileMiB << 20, PageIOBackend.URING, 1, seconds);
            measure(out, file, fileMiB << 20, PageIOBackend.URING, 32, seconds);
        } finally {
            Files.deleteIfExists(file);
        }
        return Main.EXIT_OK;
    }

    private static void layOut(Path file, long size) throws IOException {
        try (PageIO w = PageIOs.open(file, PAGE, IoConfig.defaults().withBackend(PageIOBackend.CHANNEL));
             Arena arena = Arena.ofConfined()) {
            MemorySegment chunk = arena.allocate(1 << 20, PAGE);
            SplittableRandom r = new SplittableRandom(1);
            for (long i = 0; i < chunk.byteSize(); i += 8) {
                chunk.set(ValueLayout.JAVA_LONG, i, r.nextLong());
            }
            for (long off = 0; off < size; off += chunk.byteSize()) {
                w.write(off, chunk);
            }
            w.sync();
        }
    }

    private static void measure(PrintWriter out, Path file, long size, PageIOBackend backend, int depth, double seconds)
            throws IOException {
        IoConfig cfg = IoConfig.builder().backend(backend).useDirectIo(true).ioUringQueueDepth(depth).build();
        PageIO io;
        try {
            io = PageIOs.open(file, PAGE, cfg);
        } catch (IOBackendUnavailableException e) {
            out.printf("  %-8s %5d  %12s  (%s)%n", backend, depth, "-", e.getMessage());
            return;
        }
        try (io; Arena arena = Arena.ofConfined()) {
            int n = depth * BATCH_PER_DEPTH;
            MemorySegment slab = arena.allocate((long) n * PAGE, PAGE);
            if (io instanceof UringPageIO uring) {
                uring.registerBuffers(slab);
            }
            PageBatch batch = new PageBatch(n);
            SplittableRandom random = new SplittableRandom(backend.ordinal() * 31L + depth);
            long pages = size / PAGE;
            long warmupEnd = System.nanoTime() + 200_000_000L;
            long reads = 0;
            long start = 0;
            long end = warmupEnd + (long) (seconds * 1e9);
            while (true) {
                long now = System.nanoTime();
                if (start == 0 && now >= warmupEnd) {
                    start = now;
                    reads = 0;
                }
                if (now >= end) {
                    break;
                }
                batch.clear();
                for (int i = 0; i < n; i++) {
                    batch.read(random.nextLong(pages) * PAGE, slab.asSlice((long) i * PAGE, PAGE));
                }
                io.execute(batch);
                reads += n;
            }
            double iops = reads / ((System.nanoTime() - start) / 1e9);
            out.printf("  %-8s %5d  %,12.0f%s%n", backend, depth, iops, io.directIo() ? "" : "  (buffered: O_DIRECT refused)");
        }
    }
}
