package io.lightningdb.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * FFM bindings to the functions liburing 2.x exports (ring setup and teardown, submit, wait,
 * buffer and file registration), loaded by soname from the runtime package ({@code liburing.so.2};
 * the {@code .so} symlink of the -dev package is not needed). The parts liburing keeps
 * {@code static inline} in its header (getting SQEs, preparing them, peeking CQEs) are done in Java
 * by {@link UringRing} on the mapped rings.
 *
 * <p>Creating an instance probes once: the library loads, every symbol resolves, and a tiny ring
 * can really be set up and run a NOP and an {@code IORING_OP_READ} (io_uring may be compiled out,
 * disabled by {@code sysctl kernel.io_uring_disabled}, refused by seccomp or a container policy, or
 * too old for the opcodes we use). When anything fails, {@link #isAvailable()} is false and
 * {@link #unavailableReason()} says what is wrong and what to install.
 *
 * {@snippet class=io.lightningdb.nativeio.NativeExamples region="uring"}
 *
 * <p>All functions here return {@code -errno} rather than setting errno (liburing issues the
 * system calls itself), so no call-state capture is needed. Instances are immutable and
 * thread-safe; {@link UringRing}s made from them are not.
 */
public final class LibUring {
    /** The soname of liburing 2.x's runtime library. */
    public static final String SONAME = "liburing.so.2";
    /** What to install when the library is missing. */
    public static final String INSTALL_HINT =
            "install the liburing runtime: apt-get install liburing2 (Debian/Ubuntu) or dnf install liburing (Fedora/RHEL)";
    /** The property value of {@code -Dlightning.native.disable} that hides liburing from {@link #system()}. */
    static final String DISABLE_KEY = "liburing";
    private static final int PROBE_ENTRIES = 2;

    private final String soname;
    private final String unavailableReason;
    private final MethodHandle queueInitParams, queueExit, submit, submitAndWait, waitCqes,
            registerBuffers, unregisterBuffers, registerFiles, unregisterFiles;

    /** The system liburing, probed on first use. Lazy so that merely loading the class costs nothing. */
    private static final class SystemHolder {
        static final LibUring SYSTEM = NativeAccess.disabledByProperty(DISABLE_KEY)
                ? new LibUring(SONAME, "disabled by -Dlightning.native.disable=" + DISABLE_KEY)
                : load(SONAME);
    }

    /** The process-wide liburing ({@value #SONAME}); honours {@code -Dlightning.native.disable=liburing}. */
    public static LibUring system() {
        return SystemHolder.SYSTEM;
    }

    /**
     * Loads and probes the library with this soname or path; never throws. Tests use a name that
     * does not exist to simulate a machine without liburing.
     */
    public static LibUring load(String soname) {
        if (!NativeAccess.IS_LINUX) {
            return new LibUring(soname, "io_uring needs Linux (os.name=" + System.getProperty("os.name") + ")");
        }
        if (!Libc.isAvailable()) {
            return new LibUring(soname, "libc bindings unavailable: " + Libc.unavailableReason());
        }
        SymbolLookup lookup = NativeAccess.loadLibrary(soname);
        if (lookup == null) {
            return new LibUring(soname, soname + " was not found by the dynamic linker; " + INSTALL_HINT);
        }
        try {
            return new LibUring(soname, lookup);
        } catch (RuntimeException | LinkageError e) {
            return new LibUring(soname, soname + " lacks a function liburing 2.x exports (" + e.getMessage()
                    + "); install liburing 2.0 or later: " + INSTALL_HINT);
        }
    }

    /** An unavailable instance. */
    private LibUring(String soname, String reason) {
        this.soname = soname;
        this.unavailableReason = reason;
        queueInitParams = queueExit = submit = submitAndWait = waitCqes = null;
        registerBuffers = unregisterBuffers = registerFiles = unregisterFiles = null;
    }

    /** Binds every function, then probes the kernel with a tiny ring. */
    private LibUring(String soname, SymbolLookup l) {
        this.soname = soname;
        queueInitParams = NativeAccess.downcall(l, "io_uring_queue_init_params",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        queueExit = NativeAccess.downcall(l, "io_uring_queue_exit", FunctionDescriptor.ofVoid(ADDRESS));
        submit = NativeAccess.downcall(l, "io_uring_submit", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        submitAndWait = NativeAccess.downcall(l, "io_uring_submit_and_wait",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        // int io_uring_wait_cqes(struct io_uring *, struct io_uring_cqe **, unsigned wait_nr,
        //                        struct __kernel_timespec *ts, sigset_t *sigmask)
        waitCqes = NativeAccess.downcall(l, "io_uring_wait_cqes",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        registerBuffers = NativeAccess.downcall(l, "io_uring_register_buffers",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        unregisterBuffers = NativeAccess.downcall(l, "io_uring_unregister_buffers",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        registerFiles = NativeAccess.downcall(l, "io_uring_register_files",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        unregisterFiles = NativeAccess.downcall(l, "io_uring_unregister_files",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        this.unavailableReason = probe();
    }

    /** Whether io_uring works here: library loaded, symbols bound, a ring set up and ran requests. */
    public boolean isAvailable() {
        return unavailableReason == null;
    }

    /** Why io_uring cannot be used (with what to install or change), or null when it is available. */
    public String unavailableReason() {
        return unavailableReason;
    }

    /** The soname or path this instance was loaded from. */
    public String soname() {
        return soname;
    }

    @Override
    public String toString() {
        return "LibUring[" + soname + (isAvailable() ? ", available]" : ", unavailable: " + unavailableReason + "]");
    }

    /** Sets up, runs and tears down a tiny ring; returns null on success, else the reason. */
    private String probe() {
        UringRing ring;
        try {
            ring = UringRing.openUnchecked(this, PROBE_ENTRIES);
        } catch (IOCallException e) {
            return setupFailureReason(e.errno(), e.getMessage());
        } catch (RuntimeException e) {
            return "io_uring ring setup failed: " + e;
        }
        try (ring) {
            // A NOP proves submit and completion work (io_uring_enter may be filtered separately).
            ring.prepNop(1);
            ring.submitAndWait(1);
            long[] data = new long[1];
            int[] res = new int[1];
            if (ring.reap(data, res, 1) != 1 || data[0] != 1 || res[0] != 0) {
                return "io_uring NOP did not complete as expected (res " + res[0] + ")";
            }
            // READ on fd -1 must fail with EBADF; EINVAL means the kernel lacks IORING_OP_READ (5.6+).
            ring.prepRead(-1, ring.scratch(), 0, 2);
            ring.submitAndWait(1);
            ring.reap(data, res, 1);
            if (res[0] == -Errno.EINVAL) {
                return "the kernel does not support IORING_OP_READ; io_uring needs Linux 5.6 or later (running "
                        + System.getProperty("os.version") + ")";
            }
            if (res[0] != -Errno.EBADF) {
                return "io_uring READ on a closed descriptor returned " + res[0] + " instead of -EBADF";
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return "io_uring probe failed: " + e.getMessage();
        }
    }

    private static String setupFailureReason(int errno, String message) {
        return switch (errno) {
            case Errno.ENOSYS -> "the kernel has no io_uring (CONFIG_IO_URING off, or Linux older than 5.1): " + message;
            case Errno.EPERM, Errno.EACCES -> "io_uring is not permitted for this process (" + message + "); "
                    + sysctlHint() + "a seccomp filter or container runtime (e.g. Docker's default profile) may block it";
            case Errno.ENOMEM -> "io_uring could not allocate ring memory (" + message
                    + "); on kernels before 5.12 rings count against RLIMIT_MEMLOCK (ulimit -l)";
            default -> "io_uring ring setup failed: " + message;
        };
    }

    /** Names the sysctl value when it is what blocks io_uring (Linux 6.6+). */
    private static String sysctlHint() {
        try {
            String v = Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled")).trim();
            if (!v.equals("0")) {
                return "sysctl kernel.io_uring_disabled=" + v + " (0 allows it, 1 restricts it to the group in "
                        + "kernel.io_uring_group, 2 disables it); ";
            }
        } catch (IOException | RuntimeException e) {
            // Older kernels have no such sysctl; the other causes remain.
        }
        return "";
    }

    private void requireBound() {
        if (queueInitParams == null) {
            throw new IllegalStateException("liburing is unavailable: " + unavailableReason);
        }
    }

    // ---- Raw calls for UringRing. Each returns what liburing returns: >= 0, or -errno. ----

    int queueInitParams(int entries, MemorySegment ring, MemorySegment params) {
        requireBound();
        try {
            return (int) queueInitParams.invokeExact(entries, ring, params);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    void queueExit(MemorySegment ring) {
        requireBound();
        try {
            queueExit.invokeExact(ring);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** Publishes sq.sqe_tail to the kernel and enters it; the number of SQEs the kernel consumed. */
    int submit(MemorySegment ring) {
        try {
            return (int) submit.invokeExact(ring);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** Like {@link #submit} and then waits until at least {@code waitNr} CQEs are in the CQ ring. */
    int submitAndWait(MemorySegment ring, int waitNr) {
        try {
            return (int) submitAndWait.invokeExact(ring, waitNr);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** Waits for {@code waitNr} CQEs without submitting; stores the first CQE's address in {@code cqePtr}. */
    int waitCqes(MemorySegment ring, MemorySegment cqePtr, int waitNr) {
        try {
            return (int) waitCqes.invokeExact(ring, cqePtr, waitNr, MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    int registerBuffers(MemorySegment ring, MemorySegment iovecs, int count) {
        try {
            return (int) registerBuffers.invokeExact(ring, iovecs, count);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    int unregisterBuffers(MemorySegment ring) {
        try {
            return (int) unregisterBuffers.invokeExact(ring);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    int registerFiles(MemorySegment ring, MemorySegment fds, int count) {
        try {
            return (int) registerFiles.invokeExact(ring, fds, count);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    int unregisterFiles(MemorySegment ring) {
        try {
            return (int) unregisterFiles.invokeExact(ring);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }
}
