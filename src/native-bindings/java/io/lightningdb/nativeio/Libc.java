package io.lightningdb.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * libc system calls through FFM: files (open, pread, pwrite, fsync, fallocate, …), memory (mmap,
 * madvise), locks (flock) and CPU affinity. Calls that fail throw {@link IOCallException} naming
 * the call, errno, file and offset; EINTR is retried.
 *
 * {@snippet class=io.lightningdb.nativeio.NativeExamples region="libc"}
 */
public final class Libc {
    // open(2) flags, Linux x86-64.
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = 040000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;

    // fallocate(2) modes.
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;

    // posix_fadvise(2) advice.
    public static final int POSIX_FADV_NORMAL = 0;
    public static final int POSIX_FADV_RANDOM = 1;
    public static final int POSIX_FADV_SEQUENTIAL = 2;
    public static final int POSIX_FADV_WILLNEED = 3;
    public static final int POSIX_FADV_DONTNEED = 4;

    // mmap(2) / madvise(2).
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    /** Linux 4.5+: the kernel may take the pages when it needs memory, unless they are written first. */
    public static final int MADV_FREE = 8;
    public static final int MADV_HUGEPAGE = 14;
    public static final int MADV_NOHUGEPAGE = 15;

    // flock(2).
    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    private static final int SEEK_END = 2;
    /** glibc's cpu_set_t: 1024 CPUs. */
    public static final int CPU_SETSIZE = 1024;
    private static final long CPU_SET_BYTES = CPU_SETSIZE / 8;

    private static final MethodHandle OPEN, CLOSE, PREAD, PWRITE, FSYNC, FDATASYNC, FALLOCATE,
            FTRUNCATE, LSEEK, POSIX_FADVISE, MMAP, MUNMAP, MADVISE, FLOCK, SCHED_SETAFFINITY,
            SCHED_GETAFFINITY, SCHED_GETCPU, GETPID, STRERROR, IOCTL;
    private static final String UNAVAILABLE_REASON;

    static {
        MethodHandle[] h = new MethodHandle[20];
        String reason = null;
        if (!NativeAccess.IS_LINUX) {
            reason = "not Linux (os.name=" + System.getProperty("os.name") + ")";
        } else {
            try {
                SymbolLookup c = NativeAccess.LINKER.defaultLookup();
                h[0] = NativeAccess.downcallErrno(c, "open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                        Linker.Option.firstVariadicArg(2));
                h[1] = NativeAccess.downcallErrno(c, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                h[2] = NativeAccess.downcallErrno(c, "pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
                h[3] = NativeAccess.downcallErrno(c, "pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
                h[4] = NativeAccess.downcallErrno(c, "fsync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                h[5] = NativeAccess.downcallErrno(c, "fdatasync", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                h[6] = NativeAccess.downcallErrno(c, "fallocate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
                h[7] = NativeAccess.downcallErrno(c, "ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
                h[8] = NativeAccess.downcallErrno(c, "lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
                h[9] = NativeAccess.downcall(c, "posix_fadvise", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
                h[10] = NativeAccess.downcallErrno(c, "mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
                h[11] = NativeAccess.downcallErrno(c, "munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
                h[12] = NativeAccess.downcallErrno(c, "madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
                h[13] = NativeAccess.downcallErrno(c, "flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
                h[14] = NativeAccess.downcallErrno(c, "sched_setaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
                h[15] = NativeAccess.downcallErrno(c, "sched_getaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS));
                h[16] = NativeAccess.downcallErrno(c, "sched_getcpu", FunctionDescriptor.of(JAVA_INT));
                h[17] = NativeAccess.downcall(c, "getpid", FunctionDescriptor.of(JAVA_INT));
                h[18] = NativeAccess.downcall(c, "strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
                h[19] = NativeAccess.downcallErrno(c, "ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                        Linker.Option.firstVariadicArg(2));
            } catch (RuntimeException | LinkageError e) {
                reason = "libc binding failed: " + e;
            }
        }
        OPEN = h[0]; CLOSE = h[1]; PREAD = h[2]; PWRITE = h[3]; FSYNC = h[4]; FDATASYNC = h[5];
        FALLOCATE = h[6]; FTRUNCATE = h[7]; LSEEK = h[8]; POSIX_FADVISE = h[9]; MMAP = h[10];
        MUNMAP = h[11]; MADVISE = h[12]; FLOCK = h[13]; SCHED_SETAFFINITY = h[14];
        SCHED_GETAFFINITY = h[15]; SCHED_GETCPU = h[16]; GETPID = h[17]; STRERROR = h[18]; IOCTL = h[19];
        UNAVAILABLE_REASON = reason;
    }

    private Libc() {}

    /** Whether the libc downcalls are usable (Linux with glibc symbols found). */
    public static boolean isAvailable() {
        return UNAVAILABLE_REASON == null;
    }

    /** Why libc is unavailable, or null when it is available. */
    public static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    private static void requireAvailable() {
        if (UNAVAILABLE_REASON != null) {
            throw new IllegalStateException("native libc calls are unavailable: " + UNAVAILABLE_REASON);
        }
    }

    private static void requireNative(MemorySegment buf, String call) {
        if (!buf.isNative()) {
            throw new IllegalArgumentException(call + ": buffer must be an off-heap (native) segment, got a heap segment");
        }
    }

    /** The C description of an errno, e.g. "No space left on device". */
    public static String strerror(int errno) {
        requireAvailable();
        try {
            MemorySegment p = (MemorySegment) STRERROR.invokeExact(errno);
            return p.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    private static IOCallException fail(String call, int errno, Path file, long offset, long length) {
        return new IOCallException(call, errno, file, offset, length, strerror(errno));
    }

    /** open(2); returns the file descriptor. */
    public static int open(Path path, int flags, int mode) throws IOCallException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path.toString());
            MemorySegment cs = NativeAccess.captureState();
            while (true) {
                int fd = (int) OPEN.invokeExact(cs, cpath, flags, mode);
                if (fd >= 0) {
                    return fd;
                }
                int errno = NativeAccess.errno(cs);
                if (errno != Errno.EINTR) {
                    throw fail("open", errno, path, IOCallException.NO_OFFSET, -1);
                }
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** close(2). A failing close is reported, never retried (the fd is gone either way on Linux). */
    public static void close(int fd, Path path) throws IOCallException {
        requireAvailable();
        try {
            MemorySegment cs = NativeAccess.captureState();
            if ((int) CLOSE.invokeExact(cs, fd) != 0) {
                throw fail("close", NativeAccess.errno(cs), path, IOCallException.NO_OFFSET, -1);
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** One pread(2), retried on EINTR; returns the bytes read (0 at end of file, may be short). */
    public static long pread(int fd, MemorySegment buf, long offset, Path path) throws IOCallException {
        requireAvailable();
        requireNative(buf, "pread");
        try {
            MemorySegment cs = NativeAccess.captureState();
            while (true) {
                long n = (long) PREAD.invokeExact(cs, fd, buf, buf.byteSize(), offset);
                if (n >= 0) {
                    return n;
                }
                int errno = NativeAccess.errno(cs);
                if (errno != Errno.EINTR) {
                    throw fail("pread", errno, path, offset, buf.byteSize());
                }
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** Reads exactly {@code buf.byteSize()} bytes at {@code offset}; end of file is an error. */
    public static void preadFully(int fd, MemorySegment buf, long offset, Path path) throws IOCallException {
        long done = 0;
        long len = buf.byteSize();
        while (done < len) {
            long n = pread(fd, buf.asSlice(done), offset + done, path);
            if (n == 0) {
                throw new EndOfFileException("pread", path, offset, len, done, fileSizeOrUnknown(fd, path));
            }
            done += n;
        }
    }

    /** One pwrite(2), retried on EINTR; returns the bytes written (may be short). */
    public static long pwrite(int fd, MemorySegment buf, long offset, Path path) throws IOCallException {
        requireAvailable();
        requireNative(buf, "pwrite");
        try {
            MemorySegment cs = NativeAccess.captureState();
            while (true) {
                long n = (long) PWRITE.invokeExact(cs, fd, buf, buf.byteSize(), offset);
                if (n >= 0) {
                    return n;
                }
                int errno = NativeAccess.errno(cs);
                if (errno != Errno.EINTR) {
                    throw fail("pwrite", errno, path, offset, buf.byteSize());
                }
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** Writes all of {@code buf} at {@code offset}. */
    public static void pwriteFully(int fd, MemorySegment buf, long offset, Path path) throws IOCallException {
        long done = 0;
        long len = buf.byteSize();
        while (done < len) {
            long n = pwrite(fd, buf.asSlice(done), offset + done, path);
            if (n == 0) {
                throw new IOCallException("pwrite", 0, path, offset + done, len - done, "wrote 0 bytes");
            }
            done += n;
        }
    }

    /** fsync(2): data and metadata to stable storage. */
    public static void fsync(int fd, Path path) throws IOCallException {
        retrying("fsync", path, IOCallException.NO_OFFSET, -1, cs -> (int) FSYNC.invokeExact(cs, fd));
    }

    /** fdatasync(2): data (and the metadata needed to read it) to stable storage. */
    public static void fdatasync(int fd, Path path) throws IOCallException {
        retrying("fdatasync", path, IOCallException.NO_OFFSET, -1, cs -> (int) FDATASYNC.invokeExact(cs, fd));
    }

    /** A call returning 0 or -1 with errno; what it takes is captured by the lambda. */
    @FunctionalInterface
    private interface ErrnoCall {
        int invoke(MemorySegment captureState) throws Throwable;
    }

    /** Runs a non-hot call, retrying EINTR; a -1 result becomes an IOCallException. */
    private static void retrying(String call, Path path, long offset, long length, ErrnoCall c) throws IOCallException {
        requireAvailable();
        try {
            MemorySegment cs = NativeAccess.captureState();
            while (true) {
                if (c.invoke(cs) != -1) {
                    return;
                }
                int errno = NativeAccess.errno(cs);
                if (errno != Errno.EINTR) {
                    throw fail(call, errno, path, offset, length);
                }
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * ext4's FS_IOC_GOINGDOWN: shuts the filesystem down; every later write and fsync on it fails
     * with EIO until it is unmounted. For fault tests of what a database does when fsync fails.
     */
    public static final long EXT4_IOC_SHUTDOWN = 0x8004587DL;
    /** Shut down without flushing the journal, as a failing device would. */
    public static final int EXT4_GOING_FLAGS_NOLOGFLUSH = 2;

    /** ioctl(2) whose argument points at {@code arg}. */
    public static void ioctl(int fd, long request, MemorySegment arg, Path path) throws IOCallException {
        retrying("ioctl", path, -1, -1, cs -> (int) IOCTL.invokeExact(cs, fd, request, arg));
    }

    /** fallocate(2) with the given mode (0 to allocate and extend, FALLOC_FL_* flags otherwise). */
    public static void fallocate(int fd, int mode, long offset, long length, Path path) throws IOCallException {
        retrying("fallocate", path, offset, length, cs -> (int) FALLOCATE.invokeExact(cs, fd, mode, offset, length));
    }

    /** Deallocates {@code [offset, offset+length)} without changing the file size; reads return zeros. */
    public static void punchHole(int fd, long offset, long length, Path path) throws IOCallException {
        fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length, path);
    }

    /** ftruncate(2). */
    public static void ftruncate(int fd, long length, Path path) throws IOCallException {
        retrying("ftruncate", path, length, -1, cs -> (int) FTRUNCATE.invokeExact(cs, fd, length));
    }

    /** The file's size in bytes (lseek to the end). */
    public static long fileSize(int fd, Path path) throws IOCallException {
        requireAvailable();
        try {
            MemorySegment cs = NativeAccess.captureState();
            long size = (long) LSEEK.invokeExact(cs, fd, 0L, SEEK_END);
            if (size < 0) {
                throw fail("lseek", NativeAccess.errno(cs), path, IOCallException.NO_OFFSET, -1);
            }
            return size;
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    private static long fileSizeOrUnknown(int fd, Path path) {
        try {
            return fileSize(fd, path);
        } catch (IOCallException e) {
            return -1;
        }
    }

    /** posix_fadvise(2): a hint about the access pattern of a range (0 length = to end of file). */
    public static void posixFadvise(int fd, long offset, long length, int advice, Path path) throws IOCallException {
        requireAvailable();
        try {
            int rc = (int) POSIX_FADVISE.invokeExact(fd, offset, length, advice);
            if (rc != 0) {
                throw fail("posix_fadvise", rc, path, offset, length);
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** mmap(2) of a file ({@code fd >= 0}) or anonymous memory ({@code fd = -1}, MAP_ANONYMOUS). */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset, Path path) throws IOCallException {
        requireAvailable();
        try {
            MemorySegment cs = NativeAccess.captureState();
            MemorySegment p = (MemorySegment) MMAP.invokeExact(cs, MemorySegment.NULL, length, prot, flags, fd, offset);
            if (p.address() == -1L) {
                throw fail("mmap", NativeAccess.errno(cs), path, offset, length);
            }
            return p.reinterpret(length);
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** munmap(2) of a whole mapping returned by {@link #mmap}. */
    public static void munmap(MemorySegment mapping) throws IOCallException {
        retrying("munmap", null, IOCallException.NO_OFFSET, mapping.byteSize(),
                cs -> (int) MUNMAP.invokeExact(cs, mapping, mapping.byteSize()));
    }

    /** madvise(2) over a page-aligned range. */
    public static void madvise(MemorySegment range, int advice) throws IOCallException {
        retrying("madvise", null, IOCallException.NO_OFFSET, range.byteSize(),
                cs -> (int) MADVISE.invokeExact(cs, range, range.byteSize(), advice));
    }

    /**
     * flock(2). With {@code LOCK_NB}, returns false when another open file description holds a
     * conflicting lock; otherwise true once the lock is held.
     */
    public static boolean flock(int fd, int operation, Path path) throws IOCallException {
        requireAvailable();
        try {
            MemorySegment cs = NativeAccess.captureState();
            while (true) {
                if ((int) FLOCK.invokeExact(cs, fd, operation) == 0) {
                    return true;
                }
                int errno = NativeAccess.errno(cs);
                if (errno == Errno.EAGAIN && (operation & LOCK_NB) != 0) {
                    return false;
                }
                if (errno != Errno.EINTR) {
                    throw fail("flock", errno, path, IOCallException.NO_OFFSET, -1);
                }
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** Restricts the calling thread ({@code tid = 0}) or a thread id to the given CPUs. */
    public static void schedSetaffinity(int tid, BitSet cpus) throws IOCallException {
        requireAvailable();
        if (cpus.isEmpty() || cpus.length() > CPU_SETSIZE) {
            throw new IllegalArgumentException("cpu set must name 1 to " + CPU_SETSIZE + " CPUs, got " + cpus);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(CPU_SET_BYTES, 8);
            long[] words = cpus.toLongArray();
            for (int i = 0; i < words.length; i++) {
                set.setAtIndex(JAVA_LONG, i, words[i]);
            }
            MemorySegment cs = NativeAccess.captureState();
            if ((int) SCHED_SETAFFINITY.invokeExact(cs, tid, CPU_SET_BYTES, set) != 0) {
                throw fail("sched_setaffinity", NativeAccess.errno(cs), null, IOCallException.NO_OFFSET, -1);
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** The CPUs the calling thread ({@code tid = 0}) or a thread id may run on. */
    public static BitSet schedGetaffinity(int tid) throws IOCallException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(CPU_SET_BYTES, 8);
            MemorySegment cs = NativeAccess.captureState();
            if ((int) SCHED_GETAFFINITY.invokeExact(cs, tid, CPU_SET_BYTES, set) != 0) {
                throw fail("sched_getaffinity", NativeAccess.errno(cs), null, IOCallException.NO_OFFSET, -1);
            }
            return BitSet.valueOf(set.toArray(JAVA_LONG));
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** The CPU the calling thread runs on now, or -1 when the kernel cannot say. */
    public static int schedGetcpu() {
        requireAvailable();
        try {
            return (int) SCHED_GETCPU.invokeExact(NativeAccess.captureState());
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** This process's id. */
    public static int getpid() {
        requireAvailable();
        try {
            return (int) GETPID.invokeExact();
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }
}
