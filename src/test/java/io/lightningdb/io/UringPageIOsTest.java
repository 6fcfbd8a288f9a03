package io.lightningdb.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.nativeio.LibUring;
import io.lightningdb.nativeio.UringTestSupport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How PageIOs picks io_uring, and what happens without liburing (simulated by a missing soname). */
class UringPageIOsTest {
    private static final LibUring MISSING = LibUring.load("liburing-does-not-exist.so.2");
    private Path dir;

    @BeforeEach
    void setUp() {
        dir = UringTestSupport.freshDir("uring-pageios");
    }

    @AfterEach
    void tearDown() throws Exception {
        io.lightningdb.testing.TestDirs.deleteTree(dir);
    }

    @Test
    void autoFallsBackToPosixWithoutLiburing() throws Exception {
        assertEquals(PageIOBackend.POSIX, PageIOs.resolve(IoConfig.defaults(), MISSING));
        try (PageIO io = PageIOs.open(dir.resolve("auto"), 4096, IoConfig.defaults(), MISSING);
             Arena arena = Arena.ofConfined()) {
            assertEquals(PageIOBackend.POSIX, io.backend());
            assertInstanceOf(PosixPageIO.class, io);
            MemorySegment page = arena.allocate(4096, 4096);
            io.write(0, page);
            io.read(0, page);
        }
    }

    @Test
    void explicitUringWithoutLiburingIsUnavailable() {
        IoConfig uring = IoConfig.defaults().withBackend(PageIOBackend.URING);
        IOBackendUnavailableException e = assertThrows(IOBackendUnavailableException.class,
                () -> PageIOs.open(dir.resolve("explicit"), 4096, uring, MISSING));
        assertTrue(e.getMessage().contains("URING"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install liburing2"), e.getMessage());
        assertThrows(IOBackendUnavailableException.class, () -> PageIOs.resolve(uring, MISSING));
        assertThrows(IOBackendUnavailableException.class,
                () -> UringPageIO.open(dir.resolve("direct-open"), 4096, uring, MISSING));
    }

    @Test
    void autoWithIoUringDisabledInConfigUsesPosix() throws Exception {
        IoConfig noUring = IoConfig.builder().ioUringEnabled(false).build();
        assertEquals(PageIOBackend.POSIX, PageIOs.resolve(noUring));
    }

    @Test
    void autoPicksIoUringWhenAvailable() throws Exception {
        LibUring lib = UringTestSupport.requireUring();
        assertEquals(PageIOBackend.URING, PageIOs.resolve(IoConfig.defaults(), lib));
        assertEquals(PageIOBackend.URING, PageIOs.resolve(IoConfig.defaults()));
        try (PageIO io = PageIOs.open(dir.resolve("auto-uring"), 16384, IoConfig.defaults().withQueueDepth(32))) {
            assertEquals(PageIOBackend.URING, io.backend());
            UringPageIO uring = assertInstanceOf(UringPageIO.class, io);
            assertEquals(32, uring.queueDepth());
        }
        try (PageIO io = PageIOs.open(dir.resolve("explicit-uring"), 4096, IoConfig.defaults().withBackend(PageIOBackend.URING))) {
            assertEquals(PageIOBackend.URING, io.backend());
        }
    }
}
