package io.lightningdb.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.nativeio.EndOfFileException;
import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The PageIO contract, checked on every backend with and without O_DIRECT, on a real ext4 file. */
class PageIOContractTest {
    static final int[] PAGE_SIZES = {4096, 8192, 16384, 32768, 65536};

    static Stream<Arguments> backends() {
        List<Arguments> out = new ArrayList<>();
        for (PageIOBackend b : BackendMatrix.concreteBackends()) {
            out.add(Arguments.of(b, true));
            out.add(Arguments.of(b, false));
        }
        return out.stream();
    }

    static PageIO open(PageIOBackend backend, boolean direct, int pageSize, String name) throws Exception {
        Path file = TestDirs.fresh("pageio-" + backend).resolve(name);
        PageIO io = PageIOs.open(file, pageSize, IoConfig.defaults().withBackend(backend).withDirectIo(direct).withQueueDepth(32));
        assertEquals(backend, io.backend());
        assertEquals(direct, io.directIo(), "O_DIRECT must hold on ext4 (target/)");
        return io;
    }

    static void fill(MemorySegment seg, SplittableRandom rnd) {
        for (long i = 0; i < seg.byteSize(); i += 8) {
            seg.set(ValueLayout.JAVA_LONG_UNALIGNED, i, rnd.nextLong());
        }
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void singlePagesRoundTripAtEveryPageSize(PageIOBackend backend, boolean direct) throws Exception {
        SplittableRandom rnd = Seeds.random("singlePagesRoundTrip-" + backend + "-" + direct);
        for (int pageSize : PAGE_SIZES) {
            try (PageIO io = open(backend, direct, pageSize, "single-" + pageSize);
                 Arena arena = Arena.ofConfined()) {
                int pages = 64;
                Map<Integer, byte[]> expected = new HashMap<>();
                MemorySegment buf = arena.allocate(pageSize, 4096);
                for (int i = 0; i < 200; i++) {
                    int page = rnd.nextInt(pages);
                    fill(buf, rnd);
                    io.write((long) page * pageSize, buf);
                    expected.put(page, buf.toArray(ValueLayout.JAVA_BYTE));
                }
                for (Map.Entry<Integer, byte[]> e : expected.entrySet()) {
                    buf.fill((byte) 0);
                    io.read((long) e.getKey() * pageSize, buf);
                    assertArrayEquals(e.getValue(), buf.toArray(ValueLayout.JAVA_BYTE),
                            "page " + e.getKey() + " at page size " + pageSize);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void batchesRoundTripAndMultiPageRequests(PageIOBackend backend, boolean direct) throws Exception {
        SplittableRandom rnd = Seeds.random("batchesRoundTrip-" + backend + "-" + direct);
        for (int pageSize : PAGE_SIZES) {
            try (PageIO io = open(backend, direct, pageSize, "batch-" + pageSize);
                 Arena arena = Arena.ofConfined()) {
                int n = 100;
                MemorySegment src = arena.allocate((long) n * pageSize * 2, 4096);
                fill(src, rnd);
                PageBatch batch = new PageBatch(4);
                for (int i = 0; i < n; i++) {
                    // every other request spans two pages
                    long len = (i % 2 == 0 ? 1 : 2) * (long) pageSize;
                    batch.write((long) i * 2 * pageSize, src.asSlice((long) i * 2 * pageSize, len));
                }
                io.execute(batch);
                MemorySegment dst = arena.allocate((long) n * pageSize * 2, 4096);
                batch.clear();
                for (int i = n - 1; i >= 0; i--) {
                    long len = (i % 2 == 0 ? 1 : 2) * (long) pageSize;
                    batch.read((long) i * 2 * pageSize, dst.asSlice((long) i * 2 * pageSize, len));
                }
                io.execute(batch);
                for (int i = 0; i < n; i++) {
                    long len = (i % 2 == 0 ? 1 : 2) * (long) pageSize;
                    long at = (long) i * 2 * pageSize;
                    assertEquals(-1, src.asSlice(at, len).mismatch(dst.asSlice(at, len)), "request " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void readPastEndOfFileNamesFileAndOffset(PageIOBackend backend, boolean direct) throws Exception {
        try (PageIO io = open(backend, direct, 4096, "eof"); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8192, 4096);
            io.write(0, buf.asSlice(0, 4096));
            EndOfFileException e = assertThrows(EndOfFileException.class, () -> io.read(4096, buf.asSlice(0, 4096)));
            assertTrue(e.getMessage().contains(io.path().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("offset 4096"), e.getMessage());
            assertTrue(e.getMessage().contains("end of file"), e.getMessage());
            assertEquals(4096, e.offset());
            // a read that starts inside the file and runs past its end is an error too
            assertThrows(EndOfFileException.class, () -> io.read(0, buf));
        }
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void closedFileGivesEbadfNamingTheFile(PageIOBackend backend, boolean direct) throws Exception {
        PageIO io = open(backend, direct, 4096, "closed");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096, 4096);
            io.write(0, buf);
            io.close();
            io.close(); // idempotent
            IOCallException e = assertThrows(IOCallException.class, () -> io.read(0, buf));
            assertEquals(Errno.EBADF, e.errno());
            assertEquals("EBADF", e.errnoName());
            assertTrue(e.getMessage().contains(io.path().toString()) && e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IOCallException.class, () -> io.write(0, buf));
            assertThrows(IOCallException.class, io::sync);
            assertThrows(IOCallException.class, io::size);
        }
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void misalignedRequestsAreRefusedBeforeAnyIo(PageIOBackend backend, boolean direct) throws Exception {
        try (PageIO io = open(backend, direct, 4096, "misaligned"); Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(3 * 4096L, 4096);
            MisalignedIOException off = assertThrows(MisalignedIOException.class, () -> io.write(100, buf.asSlice(0, 4096)));
            assertTrue(off.getMessage().contains("offset 100") && off.getMessage().contains("EINVAL"), off.getMessage());
            assertEquals("EINVAL", off.errnoName());
            MisalignedIOException len = assertThrows(MisalignedIOException.class, () -> io.write(0, buf.asSlice(0, 1000)));
            assertTrue(len.getMessage().contains("length"), len.getMessage());
            if (direct) {
                MisalignedIOException addr = assertThrows(MisalignedIOException.class, () -> io.read(0, buf.asSlice(512, 4096)));
                assertTrue(addr.getMessage().contains("O_DIRECT"), addr.getMessage());
            }
            IllegalArgumentException heap = assertThrows(IllegalArgumentException.class,
                    () -> io.write(0, MemorySegment.ofArray(new byte[4096])));
            assertTrue(heap.getMessage().contains("heap"), heap.getMessage());
            // a batch with one bad request writes nothing at all
            PageBatch batch = new PageBatch(2).write(0, buf.asSlice(0, 4096)).write(4097, buf.asSlice(4096, 4096));
            assertThrows(MisalignedIOException.class, () -> io.execute(batch));
            assertEquals(0, io.size(), "no request of a refused batch may be applied");
        }
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void preallocatePunchHoleTruncateAndSync(PageIOBackend backend, boolean direct) throws Exception {
        SplittableRandom rnd = Seeds.random("preallocatePunch-" + backend + "-" + direct);
        try (PageIO io = open(backend, direct, 4096, "space"); Arena arena = Arena.ofConfined()) {
            io.preallocate(0, 16 * 4096);
            assertEquals(16 * 4096, io.size());
            MemorySegment buf = arena.allocate(4 * 4096L, 4096);
            fill(buf, rnd);
            io.write(4096, buf);
            io.sync();
            io.punchHole(2 * 4096, 4096);
            assertEquals(16 * 4096, io.size(), "punching a hole keeps the size");
            MemorySegment back = arena.allocate(4 * 4096L, 4096);
            io.read(4096, back);
            assertEquals(-1, buf.asSlice(0, 4096).mismatch(back.asSlice(0, 4096)));
            for (long i = 4096; i < 8192; i++) {
                assertEquals(0, back.get(ValueLayout.JAVA_BYTE, i), "punched byte " + i);
            }
            assertEquals(-1, buf.asSlice(8192).mismatch(back.asSlice(8192)));
            io.truncate(2 * 4096);
            assertEquals(2 * 4096, io.size());
            assertThrows(EndOfFileException.class, () -> io.read(2 * 4096, back.asSlice(0, 4096)));
            assertThrows(MisalignedIOException.class, () -> io.punchHole(100, 4096));
            assertThrows(MisalignedIOException.class, () -> io.truncate(100));
        }
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void wholeFileCallErrorsNameTheCallFileAndOffset(PageIOBackend backend, boolean direct) throws Exception {
        PageIO io = open(backend, direct, 4096, "whole-file");
        assertCall("fallocate", io, 100, assertThrows(MisalignedIOException.class, () -> io.preallocate(100, 4096)));
        assertCall("fallocate(PUNCH_HOLE)", io, 4096,
                assertThrows(MisalignedIOException.class, () -> io.punchHole(4096, 100)));
        MisalignedIOException size = assertThrows(MisalignedIOException.class, () -> io.truncate(4097));
        assertCall("ftruncate", io, 4097, size);
        assertTrue(size.getMessage().contains("page size 4096"), size.getMessage());
        io.close();
        IOCallException closed = assertThrows(IOCallException.class, () -> io.truncate(8192));
        assertCall("ftruncate", io, 8192, closed);
        assertEquals(Errno.EBADF, closed.errno());
        assertCall("fallocate", io, 8192, assertThrows(IOCallException.class, () -> io.preallocate(8192, 4096)));
        assertCall("fallocate(PUNCH_HOLE)", io, 8192, assertThrows(IOCallException.class, () -> io.punchHole(8192, 4096)));
    }

    private static void assertCall(String call, PageIO io, long offset, IOCallException e) {
        assertEquals(call, e.call(), e.getMessage());
        assertEquals(io.path(), e.file(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains(io.path().toString()) && e.getMessage().contains("offset " + offset),
                e.getMessage());
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void concurrentReadersAndWritersSeeWholePages(PageIOBackend backend, boolean direct) throws Exception {
        try (PageIO io = open(backend, direct, 4096, "concurrent")) {
            int threads = 4;
            int pagesPerThread = 64;
            List<Thread> workers = new ArrayList<>();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int id = t;
                workers.add(Thread.ofPlatform().start(() -> {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment buf = arena.allocate(4096, 4096);
                        for (int round = 0; round < 5; round++) {
                            for (int p = 0; p < pagesPerThread; p++) {
                                long page = (long) p * threads + id;
                                buf.fill((byte) (id * 31 + p + round));
                                io.write(page * 4096, buf);
                            }
                            for (int p = 0; p < pagesPerThread; p++) {
                                long page = (long) p * threads + id;
                                io.read(page * 4096, buf);
                                byte want = (byte) (id * 31 + p + round);
                                for (long i = 0; i < 4096; i++) {
                                    if (buf.get(ValueLayout.JAVA_BYTE, i) != want) {
                                        throw new AssertionError("thread " + id + " page " + page + " byte " + i);
                                    }
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures: " + failures);
        }
    }

    @ParameterizedTest(name = "{0} direct={1}")
    @MethodSource("backends")
    void pageSizeOutOfRangeIsRefused(PageIOBackend backend, boolean direct) {
        Path file = TestDirs.fresh("pagesize").resolve("f");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PageIOs.open(file, 3000, IoConfig.defaults().withBackend(backend).withDirectIo(direct)));
        assertTrue(e.getMessage().contains("pageSize") && e.getMessage().contains("65536"), e.getMessage());
        assertFalse(java.nio.file.Files.exists(file), "a refused open must not create the file");
    }
}
