package io.lightningdb.nativeio;

import static io.lightningdb.nativeio.UringLayout.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One io_uring instance: a {@code struct io_uring} allocated off-heap and set up by liburing, with
 * SQEs filled and CQEs reaped in Java directly on the rings the kernel maps into the process (the
 * work liburing's {@code static inline} helpers do in C). Setup, submission, waiting and
 * registration go through {@link LibUring}.
 *
 * {@snippet class=io.lightningdb.nativeio.NativeExamples region="ring"}
 *
 * <p><b>Not thread-safe</b>: one thread at a time owns a ring (hand-offs between threads need the
 * usual happens-before, e.g. a concurrent queue). Every SQE produces exactly one CQE here (no
 * multishot, no CQE skipping), so {@link #inFlight()} counts prepared requests not yet reaped.
 * Buffers named in SQEs must stay alive until their completion is reaped; {@link #close()} waits
 * for every request in flight before it unmaps the rings.
 */
public final class UringRing implements AutoCloseable {
    /** Plain int view with (segment, offset) coordinates, for the acquire/release accesses to ring indices. */
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** The largest {@code len} one SQE may carry: the field is a __u32, the kernel caps I/O at about 2 GiB. */
    public static final long MAX_REQUEST_BYTES = 1L << 30;

    private final LibUring lib;
    private final Arena arena;
    /** Our struct io_uring. liburing reads sq.sqe_tail from it on submit. */
    private final MemorySegment ring;
    /** The mmapped SQE array: sqEntries * 64 bytes. */
    private final MemorySegment sqes;
    /** The kernel's SQ consumer index (unsigned, wraps). */
    private final MemorySegment sqKhead;
    /** CQ indices: the kernel produces at ktail; we consume at khead. */
    private final MemorySegment cqKhead, cqKtail;
    /** The mmapped CQE array: cqEntries * 16 bytes. */
    private final MemorySegment cqes;
    /** 8 bytes for {@code struct io_uring_cqe **} out-parameters. */
    private final MemorySegment cqePtr;
    private final int sqEntries, sqMask, cqEntries, cqMask, features, ringFd;
    /** Prepared SQEs whose CQE has not been reaped yet. */
    private int inFlight;
    private boolean closed;

    private UringRing(LibUring lib, Arena arena, MemorySegment ring) {
        this.lib = lib;
        this.arena = arena;
        this.ring = ring;
        int setupFlags = ring.get(JAVA_INT, IO_URING_FLAGS);
        if ((setupFlags & (IORING_SETUP_SQE128 | IORING_SETUP_CQE32 | IORING_SETUP_SQPOLL | IORING_SETUP_IOPOLL)) != 0) {
            // We never ask for these; with them the SQE/CQE strides and ordering rules below would be wrong.
            throw new IllegalStateException("unexpected io_uring setup flags 0x" + Integer.toHexString(setupFlags));
        }
        sqEntries = ring.get(JAVA_INT, SQ_RING_ENTRIES);
        sqMask = ring.get(JAVA_INT, SQ_RING_MASK);
        cqEntries = ring.get(JAVA_INT, CQ_RING_ENTRIES);
        cqMask = ring.get(JAVA_INT, CQ_RING_MASK);
        features = ring.get(JAVA_INT, IO_URING_FEATURES);
        ringFd = ring.get(JAVA_INT, IO_URING_RING_FD);
        if (Integer.bitCount(sqEntries) != 1 || sqMask != sqEntries - 1
                || Integer.bitCount(cqEntries) != 1 || cqMask != cqEntries - 1) {
            throw new IllegalStateException("inconsistent io_uring geometry: sq " + sqEntries + "/" + sqMask
                    + ", cq " + cqEntries + "/" + cqMask);
        }
        // Views of the kernel's mappings, scoped to our arena: after close() any stray access throws
        // instead of touching unmapped memory.
        sqes = mapped(SQ_SQES, (long) sqEntries * SIZEOF_SQE);
        sqKhead = mapped(SQ_KHEAD, Integer.BYTES);
        cqKhead = mapped(CQ_KHEAD, Integer.BYTES);
        cqKtail = mapped(CQ_KTAIL, Integer.BYTES);
        cqes = mapped(CQ_CQES, (long) cqEntries * SIZEOF_CQE);
        cqePtr = arena.allocate(ADDRESS);
        // liburing 2.2+ maps SQ slot i to SQE i once at setup and never touches the array again; we
        // rely on that, so check it (and establish it, should an older build not have done so).
        MemorySegment array = mapped(SQ_ARRAY, (long) sqEntries * Integer.BYTES);
        for (int i = 0; i < sqEntries; i++) {
            if (array.getAtIndex(JAVA_INT, i) != i) {
                array.setAtIndex(JAVA_INT, i, i);
            }
        }
    }

    private MemorySegment mapped(long pointerField, long size) {
        MemorySegment p = ring.get(ADDRESS, pointerField);
        if (p.address() == 0) {
            throw new IllegalStateException("io_uring pointer at offset " + pointerField + " is NULL");
        }
        return p.reinterpret(size, arena, null);
    }

    /**
     * Sets up a ring with at least {@code entries} submission entries (the kernel rounds up to a
     * power of two; the completion ring is twice as large).
     *
     * @throws IllegalStateException if {@code lib} is unavailable
     * @throws IOCallException naming {@code io_uring_queue_init_params} and the errno on failure
     */
    public static UringRing open(LibUring lib, int entries) throws IOCallException {
        if (!lib.isAvailable()) {
            throw new IllegalStateException("io_uring is unavailable: " + lib.unavailableReason());
        }
        return openUnchecked(lib, entries);
    }

    /** {@link #open} without the availability check, for the probe that decides availability. */
    static UringRing openUnchecked(LibUring lib, int entries) throws IOCallException {
        if (entries < 1 || entries > 32768) {
            throw new IllegalArgumentException("entries must be in [1, 32768], got " + entries);
        }
        Arena arena = Arena.ofShared();
        boolean ok = false;
        try {
            MemorySegment ring = arena.allocate(SIZEOF_IO_URING, ALIGNOF_IO_URING);
            MemorySegment params = arena.allocate(SIZEOF_PARAMS, 8);
            // COOP_TASKRUN: completions are posted on our next entry into the kernel (every submit
            // and wait is one) rather than by interrupting the thread; measured +8% IOPS at depth 32
            // here. Kernels before 5.19 refuse the flag with EINVAL: then a plain ring.
            params.set(JAVA_INT, PARAMS_FLAGS, IORING_SETUP_COOP_TASKRUN);
            int rc = lib.queueInitParams(entries, ring, params);
            if (rc == -Errno.EINVAL) {
                params.fill((byte) 0);
                ring.fill((byte) 0);
                rc = lib.queueInitParams(entries, ring, params);
            }
            if (rc < 0) {
                throw new IOCallException("io_uring_queue_init_params", -rc, null, IOCallException.NO_OFFSET, -1,
                        Libc.strerror(-rc) + ", " + entries + " entries");
            }
            try {
                UringRing r = new UringRing(lib, arena, ring);
                ok = true;
                return r;
            } finally {
                if (!ok) {
                    lib.queueExit(ring);
                }
            }
        } finally {
            if (!ok) {
                arena.close();
            }
        }
    }

    /** Submission queue entries: the most requests that can be prepared before a submit. */
    public int entries() {
        return sqEntries;
    }

    /** Completion queue entries (twice {@link #entries()} by default). */
    public int completionEntries() {
        return cqEntries;
    }

    /** The IORING_FEAT_* bits the kernel reported. */
    public int features() {
        return features;
    }

    /** The ring's file descriptor. */
    public int ringFd() {
        return ringFd;
    }

    /** Prepared requests whose completion has not been reaped (submitted or not). */
    public int inFlight() {
        return inFlight;
    }

    /** Free SQEs: how many more requests can be prepared before the next submit. */
    public int sqSpaceLeft() {
        checkOpen();
        int head = (int) INT.getAcquire(sqKhead, 0L);
        int tail = ring.get(JAVA_INT, SQ_SQE_TAIL);
        return sqEntries - (tail - head);
    }

    /** Prepares {@code IORING_OP_READ} of {@code buf.byteSize()} bytes at {@code offset}; false if the SQ is full. */
    public boolean prepRead(int fd, MemorySegment buf, long offset, long userData) {
        return prepRw(IORING_OP_READ, fd, buf, offset, 0, userData);
    }

    /** Prepares {@code IORING_OP_WRITE} of all of {@code buf} at {@code offset}; false if the SQ is full. */
    public boolean prepWrite(int fd, MemorySegment buf, long offset, long userData) {
        return prepRw(IORING_OP_WRITE, fd, buf, offset, 0, userData);
    }

    /**
     * Prepares {@code IORING_OP_READ_FIXED} into {@code buf}, which must lie inside the buffer
     * registered at {@code bufIndex} (else the kernel completes it with -EFAULT); false if the SQ is full.
     */
    public boolean prepReadFixed(int fd, MemorySegment buf, long offset, int bufIndex, long userData) {
        return prepRw(IORING_OP_READ_FIXED, fd, buf, offset, checkIndex(bufIndex), userData);
    }

    /** Prepares {@code IORING_OP_WRITE_FIXED} from a registered buffer; see {@link #prepReadFixed}. */
    public boolean prepWriteFixed(int fd, MemorySegment buf, long offset, int bufIndex, long userData) {
        return prepRw(IORING_OP_WRITE_FIXED, fd, buf, offset, checkIndex(bufIndex), userData);
    }

    /** Prepares {@code IORING_OP_FSYNC} (fdatasync when {@code dataOnly}); false if the SQ is full. */
    public boolean prepFsync(int fd, boolean dataOnly, long userData) {
        long sqe = nextSqe(userData);
        if (sqe < 0) {
            return false;
        }
        fill(sqe, IORING_OP_FSYNC, fd, 0, 0, 0, 0, userData);
        sqes.set(JAVA_INT, sqe + SQE_FSYNC_FLAGS, dataOnly ? IORING_FSYNC_DATASYNC : 0);
        publish();
        return true;
    }

    /** Prepares {@code IORING_OP_NOP}, which completes with result 0; false if the SQ is full. */
    public boolean prepNop(long userData) {
        long sqe = nextSqe(userData);
        if (sqe < 0) {
            return false;
        }
        fill(sqe, IORING_OP_NOP, -1, 0, 0, 0, 0, userData);
        publish();
        return true;
    }

    private static int checkIndex(int bufIndex) {
        if (bufIndex < 0 || bufIndex >= MAX_REGISTERED_BUFFERS) {
            throw new IllegalArgumentException("registered buffer index " + bufIndex + " out of range");
        }
        return bufIndex;
    }

    private boolean prepRw(byte opcode, int fd, MemorySegment buf, long offset, int bufIndex, long userData) {
        if (!buf.isNative()) {
            throw new IllegalArgumentException("io_uring buffers must be off-heap (native) segments");
        }
        if (buf.byteSize() > MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("one io_uring request moves at most " + MAX_REQUEST_BYTES
                    + " bytes, got " + buf.byteSize());
        }
        if (offset < 0) {
            throw new IllegalArgumentException("negative file offset " + offset);
        }
        long sqe = nextSqe(userData);
        if (sqe < 0) {
            return false;
        }
        fill(sqe, opcode, fd, offset, buf.address(), (int) buf.byteSize(), bufIndex, userData);
        publish();
        return true;
    }

    /** Offset of the SQE at sq.sqe_tail in {@link #sqes}, or -1 if all entries await the kernel. */
    private long nextSqe(long userData) {
        checkOpen();
        if (userData == LIBURING_UDATA_TIMEOUT) {
            throw new IllegalArgumentException("user data -1 is reserved by liburing");
        }
        // Without SQPOLL only our own io_uring_enter calls move khead, but acquire keeps us honest.
        int head = (int) INT.getAcquire(sqKhead, 0L);
        int tail = ring.get(JAVA_INT, SQ_SQE_TAIL);
        if (tail - head >= sqEntries) {
            return -1;
        }
        return (long) (tail & sqMask) * SIZEOF_SQE;
    }

    /** Writes all 64 bytes of an SQE, exactly as liburing's io_uring_prep_rw does. */
    private void fill(long sqe, byte opcode, int fd, long offset, long addr, int len, int bufIndex, long userData) {
        sqes.set(JAVA_BYTE, sqe + SQE_OPCODE, opcode);
        sqes.set(JAVA_BYTE, sqe + SQE_FLAGS, (byte) 0);
        sqes.set(JAVA_SHORT, sqe + SQE_IOPRIO, (short) 0);
        sqes.set(JAVA_INT, sqe + SQE_FD, fd);
        sqes.set(JAVA_LONG, sqe + SQE_OFF, offset);
        sqes.set(JAVA_LONG, sqe + SQE_ADDR, addr);
        sqes.set(JAVA_INT, sqe + SQE_LEN, len);
        sqes.set(JAVA_INT, sqe + SQE_RW_FLAGS, 0);
        sqes.set(JAVA_LONG, sqe + SQE_USER_DATA, userData);
        sqes.set(JAVA_SHORT, sqe + SQE_BUF_INDEX, (short) bufIndex);
        sqes.set(JAVA_SHORT, sqe + SQE_PERSONALITY, (short) 0);
        sqes.set(JAVA_INT, sqe + SQE_FILE_INDEX, 0);
        sqes.set(JAVA_LONG, sqe + SQE_ADDR3, 0L);
        sqes.set(JAVA_LONG, sqe + SQE_PAD2, 0L);
    }

    /**
     * Bumps sq.sqe_tail after the SQE is written. The kernel does not see it yet: liburing's submit
     * copies sqe_tail to the shared ktail (the system call orders our SQE stores before it).
     */
    private void publish() {
        ring.set(JAVA_INT, SQ_SQE_TAIL, ring.get(JAVA_INT, SQ_SQE_TAIL) + 1);
        inFlight++;
    }

    /** io_uring_submit: hands every prepared SQE to the kernel; returns how many it took. */
    public int submit() throws IOCallException {
        checkOpen();
        while (true) {
            int rc = lib.submit(ring);
            if (rc >= 0) {
                return rc;
            }
            if (rc != -Errno.EINTR) {
                throw fail("io_uring_submit", -rc);
            }
        }
    }

    /**
     * io_uring_submit_and_wait: submits every prepared SQE, then blocks until at least
     * {@code waitNr} completions are ready to {@link #reap}. Retries when a signal interrupts the wait.
     * Returns the number of SQEs submitted by the last call.
     *
     * @throws IOCallException with EAGAIN or EBUSY when the kernel is short of resources or has
     *     completions to deliver first (reap, then retry), or any other errno of io_uring_enter
     */
    public int submitAndWait(int waitNr) throws IOCallException {
        checkOpen();
        checkWait(waitNr);
        while (true) {
            int rc = lib.submitAndWait(ring, waitNr);
            if (rc >= 0) {
                return rc;
            }
            // EINTR: the kernel took the SQEs (it would have returned their count) or had none to take;
            // liburing recomputes what is left from khead, so calling again is safe.
            if (rc != -Errno.EINTR) {
                throw fail("io_uring_submit_and_wait", -rc);
            }
        }
    }

    /** io_uring_wait_cqes: blocks until {@code waitNr} completions are ready, without submitting. */
    public void waitCompletions(int waitNr) throws IOCallException {
        checkOpen();
        checkWait(waitNr);
        while (true) {
            int rc = lib.waitCqes(ring, cqePtr, waitNr);
            if (rc >= 0) {
                return;
            }
            if (rc != -Errno.EINTR) {
                throw fail("io_uring_wait_cqes", -rc);
            }
        }
    }

    /** Waiting for more completions than requests in flight would block forever. */
    private void checkWait(int waitNr) {
        if (waitNr < 0 || waitNr > inFlight) {
            throw new IllegalArgumentException("cannot wait for " + waitNr + " completions with " + inFlight
                    + " requests in flight");
        }
    }

    /** Completions ready to reap. */
    public int completionsReady() {
        checkOpen();
        return (int) INT.getAcquire(cqKtail, 0L) - (int) INT.get(cqKhead, 0L);
    }

    /**
     * Copies up to {@code max} ready completions (user data, result) into the arrays and marks them
     * seen; never blocks. A result is the byte count transferred, or {@code -errno}.
     */
    public int reap(long[] userData, int[] results, int max) {
        checkOpen();
        int n = Math.min(max, Math.min(userData.length, results.length));
        // Acquire: the CQE contents the kernel wrote before moving ktail are visible below.
        int tail = (int) INT.getAcquire(cqKtail, 0L);
        int head = (int) INT.get(cqKhead, 0L);
        int count = Math.min(n, tail - head);
        for (int i = 0; i < count; i++) {
            long cqe = (long) ((head + i) & cqMask) * SIZEOF_CQE;
            userData[i] = cqes.get(JAVA_LONG, cqe + CQE_USER_DATA);
            results[i] = cqes.get(JAVA_INT, cqe + CQE_RES);
        }
        if (count > 0) {
            // Release: our CQE reads complete before the kernel may reuse the slots.
            INT.setRelease(cqKhead, 0L, head + count);
            inFlight -= count;
        }
        return count;
    }

    /**
     * Registers buffers for READ_FIXED / WRITE_FIXED: buffer {@code i} is {@code regions[i]}.
     * Each must be native and at most 1 GiB; the kernel pins them (counted against RLIMIT_MEMLOCK).
     *
     * @throws IOCallException e.g. ENOMEM over the memlock limit, EBUSY if buffers are registered already
     */
    public void registerBuffers(MemorySegment... regions) throws IOCallException {
        checkOpen();
        if (regions.length == 0 || regions.length > MAX_REGISTERED_BUFFERS) {
            throw new IllegalArgumentException("1 to " + MAX_REGISTERED_BUFFERS + " buffers, got " + regions.length);
        }
        try (Arena tmp = Arena.ofConfined()) {
            MemorySegment iovecs = tmp.allocate(SIZEOF_IOVEC * regions.length, 8);
            for (int i = 0; i < regions.length; i++) {
                MemorySegment r = regions[i];
                if (!r.isNative() || r.byteSize() == 0 || r.byteSize() > MAX_REGISTERED_BUFFER_BYTES) {
                    throw new IllegalArgumentException("buffer " + i + " must be a native segment of 1 byte to 1 GiB, got " + r);
                }
                iovecs.set(JAVA_LONG, i * SIZEOF_IOVEC + IOVEC_BASE, r.address());
                iovecs.set(JAVA_LONG, i * SIZEOF_IOVEC + IOVEC_LEN, r.byteSize());
            }
            int rc = lib.registerBuffers(ring, iovecs, regions.length);
            if (rc < 0) {
                throw fail("io_uring_register_buffers", -rc);
            }
        }
    }

    /** Drops the registered buffers (waits for requests using them); false if none were registered. */
    public boolean unregisterBuffers() throws IOCallException {
        checkOpen();
        int rc = lib.unregisterBuffers(ring);
        if (rc == -Errno.ENXIO) {
            return false;
        }
        if (rc < 0) {
            throw fail("io_uring_unregister_buffers", -rc);
        }
        return true;
    }

    /** Registers file descriptors; an SQE with IOSQE_FIXED_FILE then names one by index. */
    public void registerFiles(int... fds) throws IOCallException {
        checkOpen();
        if (fds.length == 0) {
            throw new IllegalArgumentException("no file descriptors");
        }
        try (Arena tmp = Arena.ofConfined()) {
            int rc = lib.registerFiles(ring, tmp.allocateFrom(JAVA_INT, fds), fds.length);
            if (rc < 0) {
                throw fail("io_uring_register_files", -rc);
            }
        }
    }

    /** Drops the registered files; false if none were registered. */
    public boolean unregisterFiles() throws IOCallException {
        checkOpen();
        int rc = lib.unregisterFiles(ring);
        if (rc == -Errno.ENXIO) {
            return false;
        }
        if (rc < 0) {
            throw fail("io_uring_unregister_files", -rc);
        }
        return true;
    }

    /** 8 bytes of ring-owned native memory (for the availability probe). */
    MemorySegment scratch() {
        return cqePtr;
    }

    /**
     * Waits for every request in flight (their buffers may still be written by the kernel), then
     * unmaps the rings, closes the ring descriptor and frees the struct. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            drain();
        } finally {
            closed = true;
            lib.queueExit(ring);
            arena.close();
        }
    }

    /** Submits and reaps until nothing is in flight; completions are discarded. */
    private void drain() {
        long[] data = new long[64];
        int[] res = new int[64];
        while (inFlight > 0) {
            try {
                submitAndWait(1);
            } catch (IOCallException e) {
                if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EBUSY) {
                    // The ring itself is broken; tearing it down makes the kernel cancel and reap.
                    return;
                }
                LockSupport.parkNanos(50_000);
            }
            reap(data, res, data.length);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("io_uring ring is closed");
        }
    }

    private static IOCallException fail(String call, int errno) {
        return new IOCallException(call, errno, null, IOCallException.NO_OFFSET, -1, Libc.strerror(errno));
    }

    @Override
    public String toString() {
        return "UringRing[fd=" + ringFd + ", entries=" + sqEntries + ", inFlight=" + inFlight + (closed ? ", closed]" : "]");
    }
}
