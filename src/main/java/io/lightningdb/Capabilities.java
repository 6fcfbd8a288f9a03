package io.lightningdb;

import io.lightningdb.cache.FramePlacement;
import io.lightningdb.engine.BackgroundThreads;
import io.lightningdb.io.IOBackendUnavailableException;
import io.lightningdb.io.PageIOs;
import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.nativeio.LibUring;
import io.lightningdb.nativeio.Libc;
import java.nio.file.Path;
import java.util.List;

/**
 * Which native features are in use, and why not when they are not. Every native path has a
 * portable fallback; this record is how a user learns which one runs.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="capabilities"}
 *
 * @param ioBackend the backend {@code AUTO} (or the configured one) resolves to
 * @param libc FFM calls into libc (pread/pwrite, fallocate, mmap, affinity)
 * @param ioUring io_uring through liburing
 * @param directIo O_DIRECT on the probed directory's filesystem
 * @param numa NUMA through libnuma: whether frame placement and thread pinning can run here
 *     ({@link #detect}), or, from {@code Database.capabilities()}, what the open database applied
 * @param simd the Vector API ({@code jdk.incubator.vector}) and its preferred vector width
 */
public record Capabilities(
        IoBackend ioBackend, Feature libc, Feature ioUring, Feature directIo, Feature numa, Feature simd) {

    /** One feature: whether it is available and a human-readable detail or reason. */
    public record Feature(boolean available, String detail) {}

    /** Probes this machine and the filesystem of {@code dir} (which must exist) once. */
    public static Capabilities detect(LightningDbConfig config, Path dir) {
        IoBackend backend;
        try {
            backend = IoBackend.valueOf(PageIOs.resolve(config.io()).name());
        } catch (IOBackendUnavailableException e) {
            backend = null;
        }
        Feature libc = Libc.isAvailable()
                ? new Feature(true, "glibc through FFM")
                : new Feature(false, Libc.unavailableReason());
        LibUring uring = LibUring.system();
        Feature ioUring = uring.isAvailable()
                ? new Feature(true, uring.soname())
                : new Feature(false, uring.unavailableReason());
        String directReason = PageIOs.probeDirectIo(dir);
        Feature direct = directReason == null
                ? new Feature(true, "on " + dir.toAbsolutePath())
                : new Feature(false, directReason);
        return new Capabilities(backend, libc, ioUring, direct, numaFeature(), simdFeature());
    }

    private static Feature numaFeature() {
        LibNuma numa = LibNuma.system();
        if (!numa.isAvailable()) {
            return new Feature(false, numa.unavailableReason() + "; frame placement and thread pinning are no-ops");
        }
        int nodes = numa.nodeCount();
        return new Feature(true, "libnuma, " + nodes + " node" + (nodes == 1 ? "" : "s")
                + ": frame placement (enableNumaAwareness, memoryAllocator) and thread pinning (pinThreads) available");
    }

    /**
     * These capabilities with {@code numa} saying what an open database applied: the policy its
     * frames got (read back from the kernel) and how its background threads are pinned, or why not.
     */
    Capabilities inUse(FramePlacement.Applied frames, BackgroundThreads threads) {
        boolean applied = frames.applied() || threads.pinning();
        return new Capabilities(ioBackend, libc, ioUring, directIo,
                new Feature(applied, "frames: " + frames.detail() + "; " + threads.description()), simd);
    }

    private static Feature simdFeature() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return new Feature(false, "module jdk.incubator.vector not added (--add-modules jdk.incubator.vector): scalar search");
        }
        int bits = VectorWidth.preferredBits();
        String isa = bits >= 512 ? " (AVX-512)" : bits == 256 ? " (AVX2)" : "";
        return bits >= 128
                ? new Feature(true, bits + "-bit vectors" + isa)
                : new Feature(false, "no vector unit the Vector API can use: scalar search");
    }

    /** Loaded only after the module check, so a JVM without the module never links it. */
    private static final class VectorWidth {
        static int preferredBits() {
            return jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize();
        }
    }

    /** One line per feature, e.g. {@code "io_uring   yes  liburing.so.2"}. */
    public List<String> describe() {
        return List.of(
                line("io backend", ioBackend != null, ioBackend == null ? "the configured backend is unavailable" : ioBackend.toString()),
                line("libc", libc),
                line("io_uring", ioUring),
                line("O_DIRECT", directIo),
                line("NUMA", numa),
                line("SIMD", simd));
    }

    private static String line(String name, Feature f) {
        return line(name, f.available(), f.detail());
    }

    private static String line(String name, boolean yes, String detail) {
        return String.format("%-10s %-3s  %s", name, yes ? "yes" : "no", detail);
    }
}
