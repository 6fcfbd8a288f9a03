package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The raw ring: SQEs filled in Java, submitted by liburing, completions reaped in Java. */
class UringRingTest {
    private LibUring lib;
    private Path dir;
    private Arena arena;

    /** Skips the whole class (or fails it under CI) when io_uring is unavailable. */
    @BeforeAll
    static void requireUring() {
        UringTestSupport.requireUring();
    }

    @BeforeEach
    void setUp() {
        lib = LibUring.system();
        dir = UringTestSupport.freshDir("uring-ring");
        arena = Arena.ofShared();
    }

    @AfterEach
    void tearDown() throws Exception {
        arena.close();
        io.lightningdb.testing.TestDirs.deleteTree(dir);
    }

    private static int reapOne(UringRing ring, long expectedUserData) {
        long[] data = new long[1];
        int[] res = new int[1];
        assertEquals(1, ring.reap(data, res, 1));
        assertEquals(expectedUserData, data[0], "user data comes back unchanged");
        return res[0];
    }

    @Test
    void probeAndGeometry() throws Exception {
        assertTrue(lib.isAvailable());
        assertNull(lib.unavailableReason());
        assertEquals(LibUring.SONAME, lib.soname());
        try (UringRing ring = UringRing.open(lib, 3)) {
            assertEquals(4, ring.entries(), "the kernel rounds entries up to a power of two");
            assertEquals(8, ring.completionEntries());
            assertTrue(ring.ringFd() >= 0);
            assertEquals(4, ring.sqSpaceLeft());
            assertEquals(0, ring.inFlight());
        }
    }

    @Test
    void nopCompletesWithItsUserData() throws Exception {
        try (UringRing ring = UringRing.open(lib, 8)) {
            for (long ud = 0; ud < 20; ud++) {
                assertTrue(ring.prepNop(ud * 1_000_003L));
                assertEquals(1, ring.submitAndWait(1));
                assertEquals(0, reapOne(ring, ud * 1_000_003L));
            }
            assertEquals(0, ring.inFlight());
            assertThrows(IllegalArgumentException.class, () -> ring.prepNop(-1L), "-1 is liburing's timeout marker");
            assertThrows(IllegalArgumentException.class, () -> ring.submitAndWait(1), "nothing in flight: would hang");
        }
    }

    @Test
    void fullSubmissionQueueRefusesMoreEntries() throws Exception {
        try (UringRing ring = UringRing.open(lib, 4)) {
            for (int i = 0; i < 4; i++) {
                assertTrue(ring.prepNop(i));
            }
            assertFalse(ring.prepNop(99), "SQ full");
            assertEquals(0, ring.sqSpaceLeft());
            assertEquals(4, ring.submit());
            ring.waitCompletions(4);
            assertEquals(4, ring.completionsReady());
            long[] data = new long[8];
            int[] res = new int[8];
            assertEquals(4, ring.reap(data, res, 8));
            assertArrayEquals(new long[] {0, 1, 2, 3}, java.util.Arrays.copyOf(data, 4));
            assertEquals(4, ring.sqSpaceLeft());
        }
    }

    @Test
    void readOnBadDescriptorCompletesWithMinusEbadf() throws Exception {
        MemorySegment buf = arena.allocate(4096, 4096);
        try (UringRing ring = UringRing.open(lib, 2)) {
            assertTrue(ring.prepRead(-1, buf, 0, 42));
            ring.submitAndWait(1);
            assertEquals(-Errno.EBADF, reapOne(ring, 42));
        }
    }

    @Test
    void unalignedDirectOffsetCompletesWithMinusEinval() throws Exception {
        Path file = dir.resolve("direct.bin");
        int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_DIRECT | Libc.O_CLOEXEC, 0644);
        try (UringRing ring = UringRing.open(lib, 2)) {
            MemorySegment buf = arena.allocate(8192, 4096);
            Libc.pwriteFully(fd, buf, 0, file);
            assertTrue(ring.prepRead(fd, buf.asSlice(0, 4096), 1, 7));
            ring.submitAndWait(1);
            assertEquals(-Errno.EINVAL, reapOne(ring, 7), "O_DIRECT at offset 1 must be refused by the kernel");
        } finally {
            Libc.close(fd, file);
        }
    }

    @Test
    void writeThenReadPlainAndFixed() throws Exception {
        Path file = dir.resolve("rw.bin");
        int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        long seed = UringTestSupport.seed("writeThenReadPlainAndFixed");
        Random rnd = new Random(seed);
        try (UringRing ring = UringRing.open(lib, 4)) {
            MemorySegment region = arena.allocate(4 * 4096, 4096);
            byte[] expected = new byte[4 * 4096];
            rnd.nextBytes(expected);
            MemorySegment.copy(expected, 0, region, JAVA_BYTE, 0, expected.length);
            // Plain write of pages 0-1, then fixed write of pages 2-3 from the registered region.
            ring.registerBuffers(region);
            assertTrue(ring.prepWrite(fd, region.asSlice(0, 8192), 0, 1));
            assertTrue(ring.prepWriteFixed(fd, region.asSlice(8192, 8192), 8192, 0, 2));
            assertEquals(2, ring.submitAndWait(2));
            long[] data = new long[2];
            int[] res = new int[2];
            assertEquals(2, ring.reap(data, res, 2));
            assertEquals(8192, res[0]);
            assertEquals(8192, res[1]);

            region.fill((byte) 0);
            assertTrue(ring.prepReadFixed(fd, region.asSlice(0, 8192), 0, 0, 3));
            assertTrue(ring.prepRead(fd, region.asSlice(8192, 8192), 8192, 4));
            ring.submitAndWait(2);
            assertEquals(2, ring.reap(data, res, 2));
            assertEquals(8192, res[0]);
            assertEquals(8192, res[1]);
            assertArrayEquals(expected, region.toArray(JAVA_BYTE));

            // A fixed request outside its registered buffer is refused with -EFAULT.
            MemorySegment outside = arena.allocate(4096, 4096);
            assertTrue(ring.prepReadFixed(fd, outside, 0, 0, 5));
            ring.submitAndWait(1);
            assertEquals(-Errno.EFAULT, reapOne(ring, 5));
            assertTrue(ring.unregisterBuffers());
            assertFalse(ring.unregisterBuffers(), "nothing left to unregister");
        } finally {
            Libc.close(fd, file);
        }
    }

    @Test
    void fsyncAndRegisteredFiles() throws Exception {
        Path file = dir.resolve("sync.bin");
        int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        try (UringRing ring = UringRing.open(lib, 2)) {
            assertTrue(ring.prepFsync(fd, true, 11));
            ring.submitAndWait(1);
            assertEquals(0, reapOne(ring, 11));
            ring.registerFiles(fd);
            assertTrue(ring.unregisterFiles());
            assertFalse(ring.unregisterFiles());
        } finally {
            Libc.close(fd, file);
        }
    }

    @Test
    void closeWaitsForRequestsInFlightAndIsIdempotent() throws Exception {
        Path file = dir.resolve("drain.bin");
        int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        try {
            MemorySegment buf = arena.allocate(65536, 4096);
            UringRing ring = UringRing.open(lib, 8);
            for (int i = 0; i < 8; i++) {
                assertTrue(ring.prepWrite(fd, buf.asSlice(i * 8192L, 8192), i * 8192L, i));
            }
            ring.submit();
            ring.close();
            ring.close();
            assertEquals(0, ring.inFlight(), "close reaped everything");
            assertEquals(65536, Libc.fileSize(fd, file));
            assertThrows(IllegalStateException.class, () -> ring.prepNop(1));
            assertNotNull(ring.toString());
        } finally {
            Libc.close(fd, file);
        }
    }
}
