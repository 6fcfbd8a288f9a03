package io.lightningdb.io;

import io.lightningdb.nativeio.EndOfFileException;
import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.Libc;
import io.lightningdb.nativeio.LibUring;
import io.lightningdb.nativeio.UringRing;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * One ring of a {@link UringRingPool} plus what running page requests on it needs: a slot per
 * possible request in flight (its user data is the slot number), the registered buffers this ring
 * actually has, and a reusable one-request batch for single reads and writes. Used by one thread
 * at a time (the pool hands it over through a concurrent queue).
 */
final class PooledUringRing implements AutoCloseable {
    /** How often a request completing with EINTR or EAGAIN is reissued before it counts as failed. */
    private static final int MAX_RETRIES = 16;
    /** Failures attached to the first one as suppressed; more are only counted. */
    private static final int MAX_SUPPRESSED = 64;

    final UringRing ring;
    private final int depth;
    /** Per slot: batch index of the request, bytes done so far, times reissued. */
    private final int[] slotRequest;
    private final long[] slotDone;
    private final int[] slotRetries;
    /** Stack of free slots. */
    private final int[] freeSlots;
    private int freeTop;
    private final long[] cqeData;
    private final int[] cqeRes;
    final PageBatch single = new PageBatch(1);
    /** The registration this ring last tried to apply (identity compared with the pool's wish). */
    RegisteredBuffers attempted;
    /** The buffers registered on this ring, or null: only these may be named by READ/WRITE_FIXED. */
    RegisteredBuffers applied;
    /** Requests issued as READ_FIXED/WRITE_FIXED (for tests and diagnostics; read after release). */
    long fixedIssued;
    /** The ring failed in a way that leaves requests unaccounted for; never reuse it. */
    boolean broken;

    PooledUringRing(LibUring lib, int depth) throws IOCallException {
        this.ring = UringRing.open(lib, depth);
        this.depth = Math.min(depth, ring.entries());
        slotRequest = new int[this.depth];
        slotDone = new long[this.depth];
        slotRetries = new int[this.depth];
        freeSlots = new int[this.depth];
        cqeData = new long[ring.completionEntries()];
        cqeRes = new int[ring.completionEntries()];
    }

    /**
     * Performs every request of {@code batch} with up to {@code depth} in flight: fills SQEs,
     * submits and waits in one call, reaps what completed, reissues the rest of short transfers and
     * refills. A failed request does not stop the others, and this returns only when nothing is in
     * flight, so no buffer of the batch is still the target of I/O; then the first failure is thrown.
     */
    void run(PageBatch batch, int fd, Path path) throws IOException {
        int n = batch.size();
        freeTop = 0;
        for (int s = depth - 1; s >= 0; s--) {
            freeSlots[freeTop++] = s;
        }
        int next = 0;
        int active = 0;
        IOException failure = null;
        int unreported = 0;
        try {
            while (next < n || active > 0) {
                while (next < n && active < depth) {
                    int slot = freeSlots[--freeTop];
                    slotRequest[slot] = next++;
                    slotDone[slot] = 0;
                    slotRetries[slot] = 0;
                    issue(slot, batch, fd);
                    active++;
                    // Submit each request as soon as it is prepared (fio's iodepth_batch_submit=1):
                    // requests submitted together tend to complete together and then be resubmitted
                    // together, a convoy that keeps the device's queue half empty on average.
                    // Streaming them keeps it full: +10-15% IOPS at depth 32 on the machine where
                    // docs/benchmarks.md was measured, for one cheap system call per request.
                    submitNow();
                }
                int k = ring.reap(cqeData, cqeRes, cqeData.length);
                if (k == 0) {
                    waitForCompletion();
                    k = ring.reap(cqeData, cqeRes, cqeData.length);
                }
                for (int c = 0; c < k; c++) {
                    int slot = (int) cqeData[c];
                    int outcome = complete(slot, cqeRes[c], batch, fd, path);
                    if (outcome == REISSUE) {
                        issue(slot, batch, fd);
                        continue;
                    }
                    if (outcome == FAILED) {
                        if (failure == null) {
                            failure = lastFailure;
                        } else if (failure.getSuppressed().length < MAX_SUPPRESSED) {
                            failure.addSuppressed(lastFailure);
                        } else {
                            unreported++;
                        }
                        lastFailure = null;
                    }
                    freeSlots[freeTop++] = slot;
                    active--;
                }
            }
        } catch (RuntimeException | Error e) {
            // Never leave with the kernel still writing into the caller's buffers.
            drainQuietly();
            throw e;
        }
        if (failure != null) {
            if (unreported > 0) {
                failure.addSuppressed(new IOCallException(failure instanceof IOCallException ic ? ic.call() : "io_uring",
                        0, path, IOCallException.NO_OFFSET, -1, unreported + " more requests of the batch failed"));
            }
            throw failure;
        }
    }

    /** Outcomes of one completion. */
    private static final int DONE = 0, REISSUE = 1, FAILED = 2;
    /** The failure of the last completion that returned FAILED. */
    private IOException lastFailure;

    /** Handles one completion: DONE, REISSUE (short transfer, EINTR, EAGAIN) or FAILED with {@link #lastFailure}. */
    private int complete(int slot, int res, PageBatch batch, int fd, Path path) {
        int r = slotRequest[slot];
        boolean write = batch.isWrite(r);
        long offset = batch.offset(r);
        long len = batch.segment(r).byteSize();
        long done = slotDone[slot];
        String call = write ? UringPageIO.WRITE_CALL : UringPageIO.READ_CALL;
        if (res < 0) {
            int errno = -res;
            if ((errno == Errno.EINTR || errno == Errno.EAGAIN) && ++slotRetries[slot] <= MAX_RETRIES) {
                return REISSUE;
            }
            lastFailure = new IOCallException(call, errno, path, offset + done, len - done, Libc.strerror(errno));
            return FAILED;
        }
        if (res == 0) {
            lastFailure = write
                    ? new IOCallException(call, 0, path, offset + done, len - done, "wrote 0 bytes")
                    : new EndOfFileException(call, path, offset, len, done, fileSizeOrUnknown(fd, path));
            return FAILED;
        }
        slotDone[slot] = done + res;
        // A short transfer (end of file, a signal, a page-cache hiccup) continues where it stopped;
        // at end of file the continuation reads 0 bytes and fails above.
        return done + res < len ? REISSUE : DONE;
    }

    /** Fills one SQE for the rest of the slot's request, with READ/WRITE_FIXED when the buffer is registered. */
    private void issue(int slot, PageBatch batch, int fd) {
        int r = slotRequest[slot];
        MemorySegment seg = batch.segment(r);
        long done = slotDone[slot];
        long rest = seg.byteSize() - done;
        MemorySegment part = done == 0 && rest <= UringRing.MAX_REQUEST_BYTES
                ? seg
                : seg.asSlice(done, Math.min(rest, UringRing.MAX_REQUEST_BYTES));
        long offset = batch.offset(r) + done;
        int index = applied == null ? -1 : applied.indexOf(part);
        if (index >= 0) {
            fixedIssued++;
        }
        boolean ok;
        if (batch.isWrite(r)) {
            ok = index >= 0 ? ring.prepWriteFixed(fd, part, offset, index, slot) : ring.prepWrite(fd, part, offset, slot);
        } else {
            ok = index >= 0 ? ring.prepReadFixed(fd, part, offset, index, slot) : ring.prepRead(fd, part, offset, slot);
        }
        if (!ok) {
            // At most depth requests are in flight and the SQ has depth entries: this is a bug.
            throw new IllegalStateException("io_uring submission queue full with " + ring.inFlight() + " in flight");
        }
    }

    /**
     * Submits what is prepared and blocks until a completion is ready. EAGAIN/EBUSY (the kernel is
     * short of memory or wants completions reaped first) are waited out; anything else means the
     * ring itself is unusable, so it is marked broken and the error propagates.
     */
    private void waitForCompletion() throws IOCallException {
        while (true) {
            try {
                ring.submitAndWait(1);
                return;
            } catch (IOCallException e) {
                if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EBUSY) {
                    broken = true;
                    throw e;
                }
                if (ring.completionsReady() > 0) {
                    return;
                }
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** Submits what is prepared without waiting; EAGAIN/EBUSY leave it for the next wait to submit. */
    private void submitNow() throws IOCallException {
        try {
            ring.submit();
        } catch (IOCallException e) {
            if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EBUSY) {
                broken = true;
                throw e;
            }
        }
    }

    /** After an unexpected exception: wait for whatever is in flight, discarding the results. */
    private void drainQuietly() {
        while (ring.inFlight() > 0 && !broken) {
            try {
                waitForCompletion();
            } catch (IOCallException e) {
                return;
            }
            ring.reap(cqeData, cqeRes, cqeData.length);
        }
    }

    private static long fileSizeOrUnknown(int fd, Path path) {
        try {
            return Libc.fileSize(fd, path);
        } catch (IOCallException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        ring.close();
    }
}
