package io.lightningdb.io;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.nativeio.EndOfFileException;
import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.Libc;
import io.lightningdb.nativeio.UringTestSupport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** UringPageIO on real files: round trips at every queue depth, batches, and every failure path. */
class UringPageIOTest {
    private static final int[] PAGE_SIZES = {4096, 8192, 16384, 32768, 65536};
    private Path dir;
    private Arena arena;

    /** Skips the whole class (or fails it under CI) when io_uring is unavailable. */
    @BeforeAll
    static void requireUring() {
        UringTestSupport.requireUring();
    }

    @BeforeEach
    void setUp() {
        dir = UringTestSupport.freshDir("uring-pageio");
        arena = Arena.ofShared();
    }

    @AfterEach
    void tearDown() throws Exception {
        arena.close();
        io.lightningdb.testing.TestDirs.deleteTree(dir);
    }

    static IoConfig config(int depth, boolean direct, boolean zeroCopy) {
        return IoConfig.builder().backend(PageIOBackend.URING).ioUringQueueDepth(depth).useDirectIo(direct)
                .enableZeroCopy(zeroCopy).build();
    }

    static Stream<Arguments> depthsDirectRegistered() {
        List<Arguments> args = new ArrayList<>();
        for (int depth : new int[] {1, 2, 8, 32, 128, 256}) {
            for (boolean direct : new boolean[] {true, false}) {
                for (boolean registered : new boolean[] {true, false}) {
                    args.add(Arguments.of(depth, direct, registered));
                }
            }
        }
        return args.stream();
    }

    /**
     * Every page size: writes random runs of 1-3 pages in random order, half singly and half in
     * one batch, then reads them all back, in a batch and singly, into zeroed memory.
     */
    @ParameterizedTest(name = "depth {0}, direct {1}, registered {2}")
    @MethodSource("depthsDirectRegistered")
    void randomPagesRoundTrip(int depth, boolean direct, boolean registered) throws Exception {
        Random rnd = new Random(UringTestSupport.seed("randomPagesRoundTrip(" + depth + "," + direct + "," + registered + ")"));
        for (int pageSize : PAGE_SIZES) {
            int pages = 24;
            Path file = dir.resolve("rt-" + depth + "-" + direct + "-" + registered + "-" + pageSize);
            try (UringPageIO io = UringPageIO.open(file, pageSize, config(depth, direct, true))) {
                assertEquals(PageIOBackend.URING, io.backend());
                assertEquals(depth, io.queueDepth());
                assertEquals(direct, io.directIo(), "ext4 under target/ supports O_DIRECT");
                MemorySegment src = arena.allocate((long) pages * pageSize, 4096);
                MemorySegment dst = arena.allocate((long) pages * pageSize, 4096);
                byte[] expected = new byte[pages * pageSize];
                rnd.nextBytes(expected);
                MemorySegment.copy(expected, 0, src, JAVA_BYTE, 0, expected.length);
                if (registered) {
                    assertTrue(io.registerBuffers(src, dst), "registration (RLIMIT_MEMLOCK too low?)");
                    assertTrue(io.buffersRegistered());
                } else {
                    assertFalse(io.buffersRegistered());
                }

                // Runs of 1-3 pages; file page = the same index as in src, shuffled order.
                List<int[]> runs = new ArrayList<>();
                for (int p = 0; p < pages; ) {
                    int len = Math.min(1 + rnd.nextInt(3), pages - p);
                    runs.add(new int[] {p, len});
                    p += len;
                }
                Collections.shuffle(runs, rnd);
                PageBatch writes = new PageBatch(4);
                for (int i = 0; i < runs.size(); i++) {
                    int[] run = runs.get(i);
                    MemorySegment seg = src.asSlice((long) run[0] * pageSize, (long) run[1] * pageSize);
                    if (i % 2 == 0) {
                        io.write((long) run[0] * pageSize, seg);
                    } else {
                        writes.write((long) run[0] * pageSize, seg);
                    }
                }
                io.execute(writes);
                assertEquals((long) pages * pageSize, io.size());

                PageBatch reads = new PageBatch(4);
                for (int[] run : runs) {
                    reads.read((long) run[0] * pageSize, dst.asSlice((long) run[0] * pageSize, (long) run[1] * pageSize));
                }
                io.execute(reads);
                assertArrayEquals(expected, dst.toArray(JAVA_BYTE), "batched read-back, page size " + pageSize);

                dst.fill((byte) 0);
                for (int[] run : runs) {
                    io.read((long) run[0] * pageSize, dst.asSlice((long) run[0] * pageSize, (long) run[1] * pageSize));
                }
                assertArrayEquals(expected, dst.toArray(JAVA_BYTE), "single read-back, page size " + pageSize);
                if (registered) {
                    assertTrue(io.fixedRequestCount() >= 3L * runs.size(), "fixed requests " + io.fixedRequestCount());
                } else {
                    assertEquals(0, io.fixedRequestCount());
                }
            }
        }
    }

    @Test
    void queueDepthIsRoundedUpToAPowerOfTwo() throws Exception {
        try (UringPageIO a = UringPageIO.open(dir.resolve("q3"), 4096, config(3, false, false));
             UringPageIO b = UringPageIO.open(dir.resolve("q100"), 4096, config(100, false, false))) {
            assertEquals(4, a.queueDepth());
            assertEquals(128, b.queueDepth());
        }
        assertEquals(1, UringPageIO.roundUpToPowerOfTwo(1));
        assertEquals(4096, UringPageIO.roundUpToPowerOfTwo(4096));
        assertEquals(4096, UringPageIO.roundUpToPowerOfTwo(2049));
    }

    @Test
    void batchMuchLargerThanQueueDepth() throws Exception {
        Random rnd = new Random(UringTestSupport.seed("batchMuchLargerThanQueueDepth"));
        int pages = 1000;
        try (UringPageIO io = UringPageIO.open(dir.resolve("big"), 4096, config(4, true, false))) {
            MemorySegment src = arena.allocate(pages * 4096L, 4096);
            MemorySegment dst = arena.allocate(pages * 4096L, 4096);
            byte[] expected = new byte[pages * 4096];
            rnd.nextBytes(expected);
            MemorySegment.copy(expected, 0, src, JAVA_BYTE, 0, expected.length);
            PageBatch batch = new PageBatch(pages);
            for (int i = pages - 1; i >= 0; i--) {
                batch.write(i * 4096L, src.asSlice(i * 4096L, 4096));
            }
            io.execute(batch);
            batch.clear();
            for (int i = 0; i < pages; i++) {
                batch.read(i * 4096L, dst.asSlice(i * 4096L, 4096));
            }
            io.execute(batch);
            assertArrayEquals(expected, dst.toArray(JAVA_BYTE));
        }
    }

    @Test
    void mixedReadWriteBatch() throws Exception {
        Random rnd = new Random(UringTestSupport.seed("mixedReadWriteBatch"));
        int n = 64;
        try (UringPageIO io = UringPageIO.open(dir.resolve("mixed"), 8192, config(8, true, true))) {
            MemorySegment old = arena.allocate(n * 8192L, 4096);
            MemorySegment fresh = arena.allocate(n * 8192L, 4096);
            MemorySegment readBack = arena.allocate(n * 8192L, 4096);
            byte[] oldBytes = new byte[n * 8192];
            byte[] freshBytes = new byte[n * 8192];
            rnd.nextBytes(oldBytes);
            rnd.nextBytes(freshBytes);
            MemorySegment.copy(oldBytes, 0, old, JAVA_BYTE, 0, oldBytes.length);
            MemorySegment.copy(freshBytes, 0, fresh, JAVA_BYTE, 0, freshBytes.length);
            io.write(0, old);                               // pages 0..n-1, one request of n pages
            PageBatch batch = new PageBatch(2 * n);
            for (int i = 0; i < n; i++) {                   // interleaved: read page i, write page n+i
                batch.read(i * 8192L, readBack.asSlice(i * 8192L, 8192));
                batch.write((n + i) * 8192L, fresh.asSlice(i * 8192L, 8192));
            }
            io.execute(batch);
            assertArrayEquals(oldBytes, readBack.toArray(JAVA_BYTE));
            io.read(n * 8192L, readBack);
            assertArrayEquals(freshBytes, readBack.toArray(JAVA_BYTE));
        }
    }

    @Test
    void readPastEndOfFileNamesFileAndOffset() throws Exception {
        Path file = dir.resolve("eof");
        try (UringPageIO io = UringPageIO.open(file, 4096, config(8, true, false))) {
            MemorySegment buf = arena.allocate(8192, 4096);
            io.write(0, buf);                               // 2 pages
            EndOfFileException e = assertThrows(EndOfFileException.class, () -> io.read(8192, buf.asSlice(0, 4096)));
            assertEquals("io_uring read", e.call());
            assertEquals(file, e.file());
            assertEquals(8192, e.offset());
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("offset 8192"), e.getMessage());

            // A short read (1 of 2 pages) is continued, then hits end of file after 4096 bytes.
            e = assertThrows(EndOfFileException.class, () -> io.read(4096, buf));
            assertTrue(e.getMessage().contains("end of file after 4096 bytes; file size is 8192"), e.getMessage());

            // In a batch the good requests still complete and the failure comes after.
            MemorySegment good = arena.allocate(4096, 4096);
            good.fill((byte) 0x55);
            PageBatch batch = new PageBatch(3)
                    .read(0, buf.asSlice(0, 4096))
                    .read(40960, buf.asSlice(4096, 4096))
                    .write(4096, good);
            e = assertThrows(EndOfFileException.class, () -> io.execute(batch));
            assertEquals(40960, e.offset());
            io.read(4096, buf.asSlice(0, 4096));
            assertEquals(-1, buf.asSlice(0, 4096).mismatch(good), "the write of the failed batch happened");
        }
    }

    @Test
    void closedFileFailsWithEbadf() throws Exception {
        UringPageIO io = UringPageIO.open(dir.resolve("closed"), 4096, config(8, true, true));
        MemorySegment buf = arena.allocate(4096, 4096);
        io.registerBuffers(buf);
        io.write(0, buf);
        io.close();
        io.close();
        IOCallException e = assertThrows(IOCallException.class, () -> io.read(0, buf));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("io_uring read", e.call());
        e = assertThrows(IOCallException.class, () -> io.execute(new PageBatch(1).write(0, buf)));
        assertEquals(Errno.EBADF, e.errno());
        assertThrows(IOCallException.class, io::sync);
        assertThrows(IOCallException.class, () -> io.registerBuffers(buf));
    }

    @Test
    void misalignedBufferUnderDirectIo() throws Exception {
        Path file = dir.resolve("misaligned");
        try (UringPageIO io = UringPageIO.open(file, 4096, config(8, true, false))) {
            assertTrue(io.directIo());
            MemorySegment buf = arena.allocate(8192, 4096).asSlice(512, 4096);
            MisalignedIOException e = assertThrows(MisalignedIOException.class, () -> io.write(0, buf));
            assertEquals(Errno.EINVAL, e.errno());
            assertEquals("io_uring write", e.call());
            assertTrue(e.getMessage().contains("is not 4096-byte aligned as O_DIRECT requires"), e.getMessage());
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
            // Checked before any I/O: nothing of the batch was written.
            MemorySegment ok = arena.allocate(4096, 4096);
            assertThrows(MisalignedIOException.class, () -> io.execute(new PageBatch(2).write(0, ok).write(4096, buf)));
            assertEquals(0, io.size());
            assertThrows(MisalignedIOException.class, () -> io.read(100, ok));
        }
    }

    @Test
    void fileOperationsAndRegistrationRules() throws Exception {
        Path file = dir.resolve("ops");
        try (UringPageIO io = UringPageIO.open(file, 4096, config(8, false, true))) {
            io.preallocate(0, 16 * 4096);
            assertEquals(16 * 4096, io.size());
            MemorySegment page = arena.allocate(4096, 4096);
            page.fill((byte) 7);
            io.write(4096, page);
            io.sync();
            io.punchHole(4096, 4096);
            io.read(4096, page);
            assertEquals(-1, page.mismatch(arena.allocate(4096)), "a punched hole reads as zeros");
            io.truncate(8192);
            assertEquals(8192, io.size());
            assertThrows(IllegalArgumentException.class, () -> io.registerBuffers(arena.allocate(8192, 4096).asSlice(100, 4096)));
            assertThrows(IllegalArgumentException.class, () -> io.registerBuffers(MemorySegment.ofArray(new byte[4096])));
            assertTrue(io.registerBuffers(page));
            assertTrue(io.registerBuffers(page), "registering the same region again is harmless");
            io.unregisterBuffers();
            assertFalse(io.buffersRegistered());
            assertTrue(io.toString().contains("queueDepth=8"), io.toString());
        }
        try (UringPageIO io = UringPageIO.open(file, 4096, config(8, false, false))) {
            assertFalse(io.registerBuffers(arena.allocate(4096, 4096)), "enableZeroCopy=false ignores registration");
            assertFalse(io.buffersRegistered());
        }
    }

    @Test
    void registrationRefusedByTheKernelFallsBackToPlainRequests() throws Exception {
        // The kernel refuses to pin pages of a shared file mapping for registered buffers.
        Path backing = dir.resolve("mapped-region");
        int mfd = Libc.open(backing, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        MemorySegment mapped = null;
        try (UringPageIO io = UringPageIO.open(dir.resolve("refused"), 4096, config(8, false, true))) {
            Libc.ftruncate(mfd, 8192, backing);
            mapped = Libc.mmap(8192, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, mfd, 0, backing);
            assertFalse(io.registerBuffers(mapped), "registration of a file mapping must fail");
            assertFalse(io.buffersRegistered());
            mapped.fill((byte) 3);
            io.write(0, mapped);
            MemorySegment back = arena.allocate(8192, 4096);
            io.read(0, back);
            assertEquals(-1, back.mismatch(mapped));
            assertEquals(0, io.fixedRequestCount());
        } finally {
            if (mapped != null) {
                Libc.munmap(mapped);
            }
            Libc.close(mfd, backing);
        }
    }

    @Test
    void regionOfAClosedArenaIsNeverUsedForFixedRequests() throws Exception {
        try (UringPageIO io = UringPageIO.open(dir.resolve("freed"), 4096, config(8, false, true))) {
            MemorySegment page;
            try (Arena temp = Arena.ofConfined()) {
                page = temp.allocate(4096, 4096);
                assertTrue(io.registerBuffers(page));
                io.write(0, page);
                assertEquals(1, io.fixedRequestCount());
            }
            // Whatever memory now sits at that address, it is not the pinned pages.
            MemorySegment fresh = arena.allocate(4096, 4096);
            fresh.fill((byte) 9);
            io.write(0, fresh);
            io.read(0, fresh);
            assertEquals(1, io.fixedRequestCount());
        }
    }
}
