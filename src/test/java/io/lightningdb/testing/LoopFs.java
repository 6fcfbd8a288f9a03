package io.lightningdb.testing;

import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small ext4 filesystem of its own, in an image file under target/ mounted through a loop
 * device: a disk that fills up for real (ENOSPC), and that can be shut down so every later write
 * and fsync fails with EIO (ext4's shutdown ioctl), as a dying device would. Needs root; in CI
 * (CI=true, where tests run as root) a missing capability fails the test instead of skipping it.
 *
 * {@snippet :
 * try (LoopFs fs = LoopFs.mount("full", 48)) {
 *     Path dir = fs.dir().resolve("db");
 *     ...
 * }
 * }
 */
public final class LoopFs implements AutoCloseable {
    private final Path image;
    private final Path mountPoint;
    private boolean mounted;

    private LoopFs(Path image, Path mountPoint) {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /** Creates and mounts an ext4 filesystem of {@code mib} MiB. */
    public static LoopFs mount(String name, int mib) throws IOException {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!ci) {
            Assumptions.assumeTrue(root, "loop-mounted filesystems need root");
        }
        Path base = TestDirs.fresh(name);
        Path image = base.resolve("fs.img");
        Path mnt = base.resolve("mnt");
        Files.createDirectories(mnt);
        try (var ch = java.nio.channels.FileChannel.open(image, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate((long) mib << 20);
            ch.write(java.nio.ByteBuffer.allocate(1), ((long) mib << 20) - 1);
        }
        run(List.of("mkfs.ext4", "-q", "-F", "-m", "0", image.toString()));
        LoopFs fs = new LoopFs(image, mnt);
        run(List.of("mount", "-o", "loop", image.toString(), mnt.toString()));
        fs.mounted = true;
        return fs;
    }

    public Path dir() {
        return mountPoint;
    }

    /** Shuts the filesystem down: from now on writes and fsyncs on it fail with EIO. */
    public void shutDown() throws IOException {
        int fd = Libc.open(mountPoint, Libc.O_RDONLY, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flags = arena.allocate(ValueLayout.JAVA_INT);
            flags.set(ValueLayout.JAVA_INT, 0, Libc.EXT4_GOING_FLAGS_NOLOGFLUSH);
            Libc.ioctl(fd, Libc.EXT4_IOC_SHUTDOWN, flags, mountPoint);
        } finally {
            Libc.close(fd, mountPoint);
        }
    }

    /** Unmounts and mounts again: the journal is replayed, as after a reboot. */
    public void remount() throws IOException {
        unmount();
        run(List.of("mount", "-o", "loop", image.toString(), mountPoint.toString()));
        mounted = true;
    }

    private void unmount() throws IOException {
        if (mounted) {
            run(List.of("umount", mountPoint.toString()));
            mounted = false;
        }
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + ": interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                    + new String(p.getInputStream().readAllBytes()).trim());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            unmount();
        } finally {
            TestDirs.deleteTree(image.getParent());
        }
    }
}
