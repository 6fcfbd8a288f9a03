package io.lightningdb.cache;

import io.lightningdb.nativeio.BatchedAdvice;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How an evicted page's memory goes back to the OS, and how a miss takes it back when the OS has
 * not needed it. With {@code lazy}, eviction is {@code madvise(MADV_FREE)}: the kernel frees the
 * page only when it needs memory (before swapping anything, as clean page cache), and until then
 * the page stays mapped with its bytes. A later miss on the same page id, which lives at the same
 * address, first {@linkplain #rescue tries} those bytes: no read, no page fault, no zeroing. Without
 * it, eviction is {@code madvise(MADV_DONTNEED)}: the memory is gone at once, so the cache's resident
 * memory never exceeds its size, and every miss is a read into a freshly faulted page.
 *
 * <p>Why it pays: on this machine (a paravirtualized guest) a miss that the OS page cache could
 * serve cost about 55 µs with {@code MADV_DONTNEED}, a third of it the {@code madvise} and its TLB
 * shootdown, a third the page fault of the frame being read into (docs/benchmarks.md). The victims
 * of one eviction round are released in one {@code process_madvise} where the kernel allows
 * ({@link BatchedAdvice}): one system call and one TLB shootdown for the round.
 *
 * <p>Only a page that was clean when evicted (dirty victims are written back first, sealed in
 * their frame) can be rescued, and only with its checksum intact. The kernel frees a lazily
 * released page unless it was written after the advice, so a rescue writes first (the checksum
 * word, unchanged) and checks after: a page freed before that write reads as zeros but for that
 * word, whose checksum a page of zeros would have to match; one such value is refused outright.
 */
final class LazyRelease implements AutoCloseable {
    /** The kernel's unit of lazy freeing: a page's frame spans pageSize / OS_PAGE of them. */
    private static final long OS_PAGE = 4096;
    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();
    /** The checksum of a page whose payload is all zeros: what a frame the kernel took back shows. */
    private final int zeroPayloadCrc;
    private final MemorySegment region;
    private final int pageShift;
    private final long pageSize;
    private volatile boolean lazy;
    private final AtomicLong rescued = new AtomicLong();
    /** Null where the kernel cannot take a round's ranges in one call (then one madvise each). */
    private BatchedAdvice batch;

    /** For the frames of {@code region}, page {@code pid} at {@code pid << pageShift}; {@code batch} victims per round at most. */
    LazyRelease(boolean lazy, MemorySegment region, int pageShift, int batch) {
        this.lazy = lazy;
        this.region = region;
        this.pageShift = pageShift;
        this.pageSize = 1L << pageShift;
        this.batch = BatchedAdvice.open(batch);
        int pageSize = 1 << pageShift;
        try (Arena a = Arena.ofConfined()) {
            this.zeroPayloadCrc = PageFrames.computeCrc(a.allocate(pageSize));
        }
    }

    /** Whether evictions release lazily (false also once the kernel refused {@code MADV_FREE}). */
    boolean lazy() {
        return lazy;
    }

    /** Pages a miss found still in memory since {@link #LazyRelease} was made. */
    long rescued() {
        return rescued.get();
    }

    /**
     * Gives the frames of pages {@code pids[0..n)} back (one eviction round, serialised by the
     * evictor's lock): in one call where the kernel allows, else one each.
     */
    void releaseAll(long[] pids, int n) throws IOCallException {
        BatchedAdvice b = batch;
        if (b != null && n > 1) {
            for (int i = 0; i < n; i++) {
                b.add(region.asSlice(pids[i] << pageShift, pageSize));
            }
            if (b.advise(lazy ? Libc.MADV_FREE : Libc.MADV_DONTNEED)) {
                return;
            }
            batch = null; // refused (an older kernel): one call per frame from now on
            b.close();
        }
        for (int i = 0; i < n; i++) {
            release(region.asSlice(pids[i] << pageShift, pageSize));
        }
    }

    /** Gives an evicted page's frame back: lazily when asked and the kernel can, else at once. */
    void release(MemorySegment frame) throws IOCallException {
        if (lazy) {
            try {
                Libc.madvise(frame, Libc.MADV_FREE);
                return;
            } catch (IOCallException refused) {
                lazy = false; // a kernel before 4.5 (EINVAL): give memory back at once from now on
            }
        }
        Libc.madvise(frame, Libc.MADV_DONTNEED);
    }

    /**
     * Whether {@code frame}, claimed for a load of a page evicted earlier, still holds that page
     * (its checksum matches) so the read can be skipped. Call only for a page that has a place in
     * the file: the bytes are the page as it was evicted, which is the page as the file holds it.
     */
    boolean rescue(MemorySegment frame) {
        if (!lazy) {
            return false;
        }
        // A write keeps a page: the kernel frees a lazily released page only if nothing wrote to
        // it since the advice. Each OS page of the frame (a 16 KiB page is four) gets an atomic
        // add of 0, which either lands before the kernel takes that page (which then stays, bytes
        // intact) or after (on a fresh page of zeros, which the checksum below rejects).
        int stored = (int) WORD.getAndAdd(frame, (long) PageFrames.CRC_OFFSET, 0);
        if (stored == 0 || stored == zeroPayloadCrc) {
            // Never released (a cold miss: the frame is zeros) or taken back: no checksum to compute.
            // A page whose checksum happens to be 0 is merely read from the file.
            return false;
        }
        for (long at = OS_PAGE; at < frame.byteSize(); at += OS_PAGE) {
            WORD.getAndAdd(frame, at, 0);
        }
        if (PageFrames.computeCrc(frame) != stored) {
            return false; // an OS page taken back (zeros), or never a sealed page
        }
        rescued.incrementAndGet();
        return true;
    }

    @Override
    public void close() throws IOCallException {
        BatchedAdvice b = batch;
        batch = null;
        if (b != null) {
            b.close();
        }
    }
}
