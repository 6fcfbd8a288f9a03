package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The raw libc bindings: results, and errors that name the call, errno, file and offset. */
class LibcTest {
    @Test
    void libcIsAvailableOnLinux() {
        assertTrue(Libc.isAvailable(), () -> "libc: " + Libc.unavailableReason());
        assertEquals(ProcessHandle.current().pid(), Libc.getpid());
    }

    @Test
    void openMissingFileNamesCallErrnoAndFile() {
        Path missing = TestDirs.fresh("libc").resolve("no/such/file");
        IOCallException e = assertThrows(IOCallException.class, () -> Libc.open(missing, Libc.O_RDONLY, 0));
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("open(" + missing + "): ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void unalignedDirectReadReturnsEinvalFromTheKernel() throws Exception {
        Path file = TestDirs.fresh("libc").resolve("direct");
        int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_DIRECT | Libc.O_CLOEXEC, 0644);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(8192, 4096);
            Libc.pwriteFully(fd, page, 0, file);
            IOCallException e = assertThrows(IOCallException.class, () -> Libc.pread(fd, page.asSlice(0, 4096), 100, file));
            assertEquals("EINVAL", e.errnoName());
            assertTrue(e.getMessage().startsWith("pread(" + file + ", offset 100, 4096 bytes): EINVAL"), e.getMessage());
            IOCallException addr = assertThrows(IOCallException.class, () -> Libc.pread(fd, page.asSlice(1, 4096), 0, file));
            assertEquals(Errno.EINVAL, addr.errno());
        } finally {
            Libc.close(fd, file);
        }
    }

    @Test
    void closedDescriptorGivesEbadf() throws Exception {
        Path file = TestDirs.fresh("libc").resolve("closed");
        int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        Libc.close(fd, file);
        try (Arena arena = Arena.ofConfined()) {
            IOCallException e = assertThrows(IOCallException.class,
                    () -> Libc.pread(fd, arena.allocate(4096), 0, file));
            assertEquals(Errno.EBADF, e.errno());
            assertThrows(IOCallException.class, () -> Libc.fdatasync(fd, file));
        }
    }

    @Test
    void readPastEndIsEndOfFile() throws Exception {
        Path file = TestDirs.fresh("libc").resolve("short");
        Files.write(file, new byte[100]);
        int fd = Libc.open(file, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096);
            assertEquals(100, Libc.pread(fd, buf, 0, file));
            EndOfFileException e = assertThrows(EndOfFileException.class, () -> Libc.preadFully(fd, buf, 0, file));
            assertTrue(e.getMessage().contains("end of file after 100 bytes; file size is 100"), e.getMessage());
        } finally {
            Libc.close(fd, file);
        }
    }

    @Test
    void fallocatePunchHoleTruncateAndSize() throws Exception {
        Path file = TestDirs.fresh("libc").resolve("space");
        int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        try (Arena arena = Arena.ofConfined()) {
            Libc.fallocate(fd, 0, 0, 1 << 20, file);
            assertEquals(1 << 20, Libc.fileSize(fd, file));
            MemorySegment buf = arena.allocate(4096);
            buf.fill((byte) 9);
            Libc.pwriteFully(fd, buf, 8192, file);
            Libc.fsync(fd, file);
            Libc.punchHole(fd, 8192, 4096, file);
            buf.fill((byte) 1);
            Libc.preadFully(fd, buf, 8192, file);
            assertEquals(0, buf.get(ValueLayout.JAVA_BYTE, 17));
            Libc.ftruncate(fd, 4096, file);
            assertEquals(4096, Libc.fileSize(fd, file));
            Libc.posixFadvise(fd, 0, 0, Libc.POSIX_FADV_RANDOM, file);
            IOCallException bad = assertThrows(IOCallException.class,
                    () -> Libc.posixFadvise(fd, 0, 0, 12345, file));
            assertEquals("EINVAL", bad.errnoName());
        } finally {
            Libc.close(fd, file);
        }
    }

    @Test
    void anonymousMmapAndMadvise() throws Exception {
        MemorySegment m = Libc.mmap(1 << 20, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, null);
        try {
            assertEquals(0, m.address() % 4096);
            m.set(ValueLayout.JAVA_LONG, 4096, 42L);
            Libc.madvise(m, Libc.MADV_DONTNEED);
            assertEquals(0L, m.get(ValueLayout.JAVA_LONG, 4096), "MADV_DONTNEED drops private anonymous pages");
        } finally {
            Libc.munmap(m);
        }
        IOCallException e = assertThrows(IOCallException.class,
                () -> Libc.mmap(0, Libc.PROT_READ, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, null));
        assertEquals("EINVAL", e.errnoName());
    }

    @Test
    void flockIsExclusiveAcrossDescriptions() throws Exception {
        Path file = TestDirs.fresh("libc").resolve("lock");
        int a = Libc.open(file, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        int b = Libc.open(file, Libc.O_RDWR | Libc.O_CLOEXEC, 0644);
        try {
            assertTrue(Libc.flock(a, Libc.LOCK_EX | Libc.LOCK_NB, file));
            assertFalse(Libc.flock(b, Libc.LOCK_EX | Libc.LOCK_NB, file), "second description must not get the lock");
            Libc.flock(a, Libc.LOCK_UN, file);
            assertTrue(Libc.flock(b, Libc.LOCK_EX | Libc.LOCK_NB, file));
        } finally {
            Libc.close(a, file);
            Libc.close(b, file);
        }
    }

    @Test
    void affinityRoundTrip() throws Exception {
        BitSet before = Libc.schedGetaffinity(0);
        assertFalse(before.isEmpty());
        int cpu = before.nextSetBit(0);
        BitSet one = new BitSet();
        one.set(cpu);
        Libc.schedSetaffinity(0, one);
        try {
            assertEquals(one, Libc.schedGetaffinity(0));
            assertEquals(cpu, Libc.schedGetcpu());
        } finally {
            Libc.schedSetaffinity(0, before);
        }
        assertEquals(before, Libc.schedGetaffinity(0));
    }

    @Test
    void errnoNames() {
        assertEquals("ENOSPC", Errno.name(Errno.ENOSPC));
        assertEquals("EOPNOTSUPP", Errno.name(95));
        assertEquals("errno 999", Errno.name(999));
        assertEquals("No space left on device", Libc.strerror(Errno.ENOSPC));
    }
}
