package io.lightningdb.io;

import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.LibUring;
import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Page I/O through io_uring: a single read or write is one SQE submitted and waited for in one
 * system call; a batch keeps up to {@link #queueDepth()} requests in flight on one ring, refilling
 * as they complete. With {@link #registerBuffers registered buffers} (when
 * {@link IoConfig#enableZeroCopy()} is on), requests whose buffer lies in a registered region use
 * {@code READ_FIXED}/{@code WRITE_FIXED}, sparing the kernel from pinning pages per request.
 *
 * {@snippet class=io.lightningdb.io.IoExamples region="uring"}
 *
 * <p>The requests of one batch run concurrently and complete in any order, which is why
 * {@link PageIO#execute} refuses a batch that writes a page twice or reads a page it also writes.
 * Each request is submitted as soon as it is prepared, so the device queue stays full instead of
 * draining and refilling in lockstep (see docs/benchmarks.md).
 *
 * <p>Thread-safe: rings are not, so each call leases one from a small pool (created lazily, up to
 * {@code max(2 * availableProcessors, 4)}). Every call returns only when the kernel is done with
 * all its buffers, also when it fails; {@link #close()} waits for calls in progress, then frees the
 * rings and closes the file.
 */
public final class UringPageIO extends NativePageIO {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.io");
    static final String READ_CALL = "io_uring read";
    static final String WRITE_CALL = "io_uring write";
    /** Registered regions must start and end on OS page boundaries. */
    static final int REGION_ALIGNMENT = 4096;

    private final int queueDepth;
    private final boolean zeroCopy;
    private final UringRingPool pool;
    /** Serializes changes to the registration (each builds on the previous one). */
    private final Object registrationLock = new Object();
    private final AtomicBoolean loggedZeroCopyOff = new AtomicBoolean();

    private UringPageIO(Path path, int pageSize, OpenFile file, IoConfig config, LibUring lib)
            throws IOCallException {
        super(path, pageSize, file);
        this.queueDepth = roundUpToPowerOfTwo(config.ioUringQueueDepth());
        this.zeroCopy = config.enableZeroCopy();
        int maxRings = Math.max(2 * Runtime.getRuntime().availableProcessors(), 4);
        this.pool = new UringRingPool(lib, queueDepth, maxRings, path);
        pool.prime();
    }

    /** Opens (creating if absent) {@code path} with the system liburing; see {@link #open(Path, int, IoConfig, LibUring)}. */
    public static UringPageIO open(Path path, int pageSize, IoConfig config) throws IOException {
        return open(path, pageSize, config, LibUring.system());
    }

    /**
     * Opens (creating if absent) {@code path}: O_DIRECT when {@code config.useDirectIo()} and the
     * filesystem allows, queue depth {@code config.ioUringQueueDepth()} rounded up to a power of two.
     *
     * @throws IOBackendUnavailableException if {@code lib} is unavailable (the message says why)
     * @throws IOCallException if the file cannot be opened or no ring can be set up
     */
    public static UringPageIO open(Path path, int pageSize, IoConfig config, LibUring lib) throws IOException {
        checkPageSize(pageSize);
        if (!lib.isAvailable()) {
            throw new IOBackendUnavailableException(PageIOBackend.URING, lib.unavailableReason());
        }
        OpenFile file = openFile(path, config.useDirectIo());
        try {
            return new UringPageIO(path, pageSize, file, config, lib);
        } catch (IOException | RuntimeException e) {
            try {
                Libc.close(file.fd(), path);
            } catch (IOCallException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    static int roundUpToPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    @Override
    public PageIOBackend backend() {
        return PageIOBackend.URING;
    }

    /** The most requests one ring keeps in flight: the configured depth rounded up to a power of two. */
    public int queueDepth() {
        return queueDepth;
    }

    /** Whether registered buffers are in effect (zero copy on, regions given, registration succeeded). */
    public boolean buffersRegistered() {
        return zeroCopy && pool.registered();
    }

    /** Rings created so far (package-private, for tests). */
    int ringCount() {
        return pool.ringCount();
    }

    /** READ_FIXED/WRITE_FIXED requests issued so far (package-private, for tests; call when idle). */
    long fixedRequestCount() {
        return pool.fixedIssued();
    }

    /** The most rings this file will create (package-private, for tests). */
    int maxRings() {
        return pool.maxRings();
    }

    /**
     * Registers memory regions with every ring, present and future; from then on a request whose
     * buffer lies entirely inside one region uses {@code READ_FIXED}/{@code WRITE_FIXED}. Regions
     * add up over calls; a region whose arena has been closed is dropped (and never used for a
     * fixed request). The kernel pins registered memory, which counts against RLIMIT_MEMLOCK
     * ({@code ulimit -l}) for each ring; if registration fails, that is logged once and requests
     * keep using plain READ/WRITE.
     *
     * @param regions native segments whose address and size are multiples of 4096
     * @return whether registered buffers are now in effect; false when
     *     {@link IoConfig#enableZeroCopy()} is off or registration failed
     */
    public boolean registerBuffers(MemorySegment... regions) throws IOException {
        for (MemorySegment r : regions) {
            if (!r.isNative() || r.byteSize() == 0 || (r.address() % REGION_ALIGNMENT) != 0
                    || (r.byteSize() % REGION_ALIGNMENT) != 0) {
                throw new IllegalArgumentException("registerBuffers(" + path + "): a region must be a native segment "
                        + "whose address and size are non-zero multiples of " + REGION_ALIGNMENT + ", got " + r);
            }
        }
        if (!zeroCopy) {
            if (loggedZeroCopyOff.compareAndSet(false, true)) {
                LOG.log(Level.DEBUG, "{0}: enableZeroCopy is off; io_uring buffers are not registered", path);
            }
            return false;
        }
        if (regions.length == 0) {
            return buffersRegistered();
        }
        return changeRegistration(regions.clone());
    }

    /** Unregisters every region (unpinning its memory on each ring as the ring is next used or idle). */
    public void unregisterBuffers() throws IOException {
        changeRegistration(null);
    }

    /** Adds regions to the registration, or clears it when {@code added} is null. */
    private boolean changeRegistration(MemorySegment[] added) throws IOException {
        enter("io_uring_register_buffers", IOCallException.NO_OFFSET, -1);
        try {
            synchronized (registrationLock) {
                pool.want(added == null ? null : RegisteredBuffers.plus(pool.wanted(), added));
                // Lease one ring (registering it) to learn now whether the kernel accepts the
                // regions, then update idle rings; rings in use update on their next lease.
                pool.release(pool.acquire());
                pool.applyToIdle();
            }
            return buffersRegistered();
        } finally {
            exit();
        }
    }

    @Override
    String readCall() {
        return READ_CALL;
    }

    @Override
    String writeCall() {
        return WRITE_CALL;
    }

    @Override
    void doRead(long offset, MemorySegment dst) throws IOException {
        PooledUringRing r = pool.acquire();
        try {
            r.single.read(offset, dst);
            r.run(r.single, fd, path);
        } finally {
            pool.release(r);
        }
    }

    @Override
    void doWrite(long offset, MemorySegment src) throws IOException {
        PooledUringRing r = pool.acquire();
        try {
            r.single.write(offset, src);
            r.run(r.single, fd, path);
        } finally {
            pool.release(r);
        }
    }

    @Override
    void doExecute(PageBatch batch) throws IOException {
        PooledUringRing r = pool.acquire();
        try {
            r.run(batch, fd, path);
        } finally {
            pool.release(r);
        }
    }

    /** Frees every ring; no call is in progress, so none has requests in flight. */
    @Override
    void releaseBeforeClose() {
        pool.closeAll();
    }

    @Override
    public String toString() {
        return "UringPageIO[" + path + ", pageSize=" + pageSize + ", direct=" + direct + ", queueDepth=" + queueDepth
                + ", rings=" + pool.ringCount() + ", registeredBuffers=" + buffersRegistered() + "]";
    }
}
