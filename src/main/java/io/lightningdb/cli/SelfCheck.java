package io.lightningdb.cli;

import io.lightningdb.Capabilities;
import io.lightningdb.io.IOBackendUnavailableException;
import io.lightningdb.io.IoBackend;
import io.lightningdb.io.IoConfig;
import io.lightningdb.io.PageBatch;
import io.lightningdb.io.PageIO;
import io.lightningdb.io.PageIOs;
import io.lightningdb.io.UringPageIO;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * {@code lightning selfcheck}: which native features this machine offers, and the 4 KiB
 * random-read IOPS of each I/O backend with O_DIRECT on a scratch file in {@code --dir}.
 * A quick health check, not a benchmark: jmh/io-bench.sh is the measured comparison with fio.
 */
final class SelfCheck {
    private static final int PAGE = 4096;
    private static final int BATCH_PER_DEPTH = 8;

    private SelfCheck() {}

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dir = Path.of("data");
        long fileMiB = 256;
        double seconds = 2;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help")) {
                out.println("usage: lightning selfcheck [--dir DIR] [--file-size MiB] [--seconds S]");
                out.println("  --dir        where the scratch file goes (default ./data); use a disk, not tmpfs");
                out.println("  --file-size  scratch file size in MiB (default 256, 16 to 65536)");
                out.println("  --seconds    measuring time per backend (default 2, 0.1 to 600)");
                return Main.EXIT_OK;
            }
            String v = Main.optionValue(args, ++i, a);
            switch (a) {
                case "--dir" -> dir = Path.of(v);
                case "--file-size" -> fileMiB = parseRange("--file-size", v, 16, 65536);
                case "--seconds" -> seconds = parseSeconds(v);
                default -> throw new Main.UsageException("unknown option " + a + "; see --help");
            }
        }
        Files.createDirectories(dir);
        Capabilities caps = Capabilities.detect(IoConfig.defaults(), dir);
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
            measure(out, file, fileMiB << 20, IoBackend.CHANNEL, 1, seconds);
            measure(out, file, fileMiB << 20, IoBackend.POSIX, 1, seconds);
            measure(out, file, fileMiB << 20, IoBackend.URING, 1, seconds);
            measure(out, file, fileMiB << 20, IoBackend.URING, 32, seconds);
        } finally {
            Files.deleteIfExists(file);
        }
        return Main.EXIT_OK;
    }

    static long parseRange(String name, String v, long min, long max) throws Main.UsageException {
        try {
            long x = Long.parseLong(v);
            if (x >= min && x <= max) {
                return x;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Main.UsageException(name + " must be an integer in [" + min + ", " + max + "], got '" + v + "'");
    }

    private static double parseSeconds(String v) throws Main.UsageException {
        try {
            double x = Double.parseDouble(v);
            if (x >= 0.1 && x <= 600) {
                return x;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new Main.UsageException("--seconds must be a number in [0.1, 600], got '" + v + "'");
    }

    private static void layOut(Path file, long size) throws IOException {
        try (PageIO w = PageIOs.open(file, PAGE, IoConfig.defaults().withBackend(IoBackend.CHANNEL));
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

    private static void measure(PrintStream out, Path file, long size, IoBackend backend, int depth, double seconds)
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
