package io.lightningdb.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * {@code process_madvise(2)} on this process: one advice for many ranges in one system call, so
 * one system call (and, on recent kernels, one TLB flush, one round of inter-processor
 * interrupts) covers them all where a {@code madvise} per range pays one each. Older kernels take
 * only some advice through it (not {@code MADV_DONTNEED} or {@code MADV_FREE}); this machine's
 * 6.18 takes both. glibc 2.36 has the wrappers. {@link #open} is null where the calls are missing,
 * and {@link #advise} answers false where the kernel refuses the advice, so callers fall back to
 * {@link Libc#madvise}.
 *
 * <p>Not thread-safe: one instance per caller that already serialises its calls (the buffer
 * pool's evictor holds its lock).
 */
public final class BatchedAdvice implements AutoCloseable {
    /** Ranges per call at most (the kernel's UIO_MAXIOV is 1024). */
    public static final int MAX_RANGES = 1024;
    private static final long IOVEC_BYTES = 16;
    private static final MethodHandle PIDFD_OPEN;
    private static final MethodHandle PROCESS_MADVISE;

    static {
        MethodHandle open = null;
        MethodHandle advise = null;
        if (Libc.isAvailable()) {
            try {
                SymbolLookup c = NativeAccess.LINKER.defaultLookup();
                open = NativeAccess.downcallErrno(c, "pidfd_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
                advise = NativeAccess.downcallErrno(c, "process_madvise",
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT));
            } catch (RuntimeException | LinkageError olderGlibc) {
                open = null;
                advise = null;
            }
        }
        PIDFD_OPEN = open;
        PROCESS_MADVISE = advise;
    }

    private final int pidfd;
    private final MemorySegment iovecs;
    private final int capacity;
    private int count;
    private long bytes;
    private boolean closed;

    private BatchedAdvice(int pidfd, int capacity) {
        this.pidfd = pidfd;
        this.capacity = capacity;
        // Reclaimed with the instance: the array is small and lives as long as its pool.
        this.iovecs = Arena.ofAuto().allocate(IOVEC_BYTES * capacity, 8);
    }

    /** A batch of up to {@code capacity} ranges, or null where the kernel or libc lacks the calls. */
    public static BatchedAdvice open(int capacity) {
        if (capacity < 1 || capacity > MAX_RANGES) {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_RANGES + "], got " + capacity);
        }
        if (PIDFD_OPEN == null) {
            return null;
        }
        try {
            MemorySegment cs = NativeAccess.captureState();
            int fd = (int) PIDFD_OPEN.invokeExact(cs, Libc.getpid(), 0);
            return fd < 0 ? null : new BatchedAdvice(fd, capacity);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** Adds a page-aligned range to the next {@link #advise}; false when the batch is full. */
    public boolean add(MemorySegment range) {
        if (count == capacity) {
            return false;
        }
        long at = count * IOVEC_BYTES;
        iovecs.set(JAVA_LONG, at, range.address());
        iovecs.set(JAVA_LONG, at + 8, range.byteSize());
        bytes += range.byteSize();
        count++;
        return true;
    }

    /** Ranges added since the last {@link #advise}. */
    public int size() {
        return count;
    }

    /**
     * Gives {@code advice} for every range added, and empties the batch. False when the kernel
     * refused the advice for this process (EINVAL, EPERM: an older kernel) or advised only part:
     * the caller then advises the ranges itself, which is harmless for ranges already advised.
     *
     * @throws IOCallException for any other failure
     */
    public boolean advise(int advice) throws IOCallException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        int n = count;
        long expected = bytes;
        count = 0;
        bytes = 0;
        if (n == 0) {
            return true;
        }
        try {
            MemorySegment cs = NativeAccess.captureState();
            while (true) {
                long done = (long) PROCESS_MADVISE.invokeExact(cs, pidfd, iovecs, (long) n, advice, 0);
                if (done == expected) {
                    return true;
                }
                if (done >= 0) {
                    return false;
                }
                int errno = NativeAccess.errno(cs);
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.EINVAL || errno == Errno.EPERM || errno == Errno.ENOSYS) {
                    return false;
                }
                throw new IOCallException("process_madvise", errno, null, IOCallException.NO_OFFSET, expected,
                        Libc.strerror(errno));
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    @Override
    public void close() throws IOCallException {
        if (!closed) {
            closed = true;
            Libc.close(pidfd, null);
        }
    }
}
