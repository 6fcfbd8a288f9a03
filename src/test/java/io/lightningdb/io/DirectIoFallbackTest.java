package io.lightningdb.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lightningdb.testing.LogCapture;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A filesystem that refuses O_DIRECT (ramfs, which the test mounts) makes every backend fall back
 * to buffered I/O, say so in the log, and still work. Mounting needs root: mandatory under CI.
 */
class DirectIoFallbackTest {
    private static Path mountPoint;

    @BeforeAll
    static void mountRamfs() throws Exception {
        Path dir = TestDirs.fresh("ramfs");
        Process p = new ProcessBuilder("mount", "-t", "ramfs", "lightning-test", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean mounted = p.waitFor() == 0;
        if (!mounted && TestDirs.underCi()) {
            throw new AssertionError("CI=true: could not mount ramfs to test the O_DIRECT fallback: " + out);
        }
        assumeTrue(mounted, "cannot mount ramfs (needs root): " + out);
        mountPoint = dir;
    }

    @AfterAll
    static void unmount() throws Exception {
        if (mountPoint != null) {
            new ProcessBuilder("umount", mountPoint.toString()).inheritIO().start().waitFor();
        }
    }

    static Iterable<PageIOBackend> backends() {
        return BackendMatrix.concreteBackends();
    }

    @ParameterizedTest
    @MethodSource("backends")
    void refusedDirectIoFallsBackToBufferedAndSaysSo(PageIOBackend backend) throws Exception {
        Path file = mountPoint.resolve("fallback-" + backend);
        try (LogCapture log = new LogCapture("io.lightningdb.io");
             PageIO io = PageIOs.open(file, 4096, IoConfig.defaults().withBackend(backend).withDirectIo(true));
             Arena arena = Arena.ofConfined()) {
            assertEquals(backend, io.backend());
            assertFalse(io.directIo(), "ramfs refuses O_DIRECT");
            assertTrue(log.contains("refuses O_DIRECT"), () -> "log said: " + log.messages());
            MemorySegment page = arena.allocate(4096, 4096);
            page.fill((byte) 7);
            io.write(0, page);
            MemorySegment back = arena.allocate(4096, 4096);
            io.read(0, back);
            assertEquals(-1, page.mismatch(back));
        }
    }
}
