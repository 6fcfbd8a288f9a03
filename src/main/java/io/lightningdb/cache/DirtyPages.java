package io.lightningdb.cache;

import io.lightningdb.io.PageBatch;
import io.lightningdb.io.PageIO;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which pages differ from the file (one byte per page, written under the page's latch), and
 * writing them: eviction victims in one batch, or every dirty page at a flush. Each page is
 * sealed with its checksum as it goes out.
 */
final class DirtyPages {
    static final int BATCH = 32;
    /** Returned by {@link #latchResident} when the page is not in memory. */
    static final long ABSENT = -1;
    private static final int SPINS_BEFORE_YIELD = 64;

    private final PageIO io;
    private final StateTable states;
    private final MemorySegment region;
    private final MemorySegment dirty;
    private final int pageShift;
    private final PageBatch victimBatch = new PageBatch(BATCH);
    private final AtomicLong writes = new AtomicLong();

    DirtyPages(PageIO io, StateTable states, MemorySegment region, MemorySegment dirty, int pageShift) {
        this.io = io;
        this.states = states;
        this.region = region;
        this.dirty = dirty;
        this.pageShift = pageShift;
    }

    MemorySegment segment() {
        return dirty;
    }

    void mark(long pid) {
        dirty.set(ValueLayout.JAVA_BYTE, pid, (byte) 1);
    }

    private boolean isDirty(long pid) {
        return dirty.get(ValueLayout.JAVA_BYTE, pid) != 0;
    }

    private MemorySegment page(long pid) {
        return region.asSlice(pid << pageShift, 1L << pageShift);
    }

    long writes() {
        return writes.get();
    }

    /** Writes the dirty ones among {@code n} latched victims in one batch; they are clean after it. */
    void writeVictims(long[] victims, int n) throws IOException {
        victimBatch.clear();
        for (int i = 0; i < n; i++) {
            if (isDirty(victims[i])) {
                MemorySegment p = page(victims[i]);
                PageFrames.seal(p);
                victimBatch.write(victims[i] << pageShift, p);
            }
        }
        io.execute(victimBatch);
        writes.addAndGet(victimBatch.size());
        for (int i = 0; i < n; i++) {
            dirty.set(ValueLayout.JAVA_BYTE, victims[i], (byte) 0);
        }
    }

    /** Bytes one flush write may cover: adjacent dirty pages are adjacent in memory too, so a run is one I/O. */
    private static final int MAX_RUN_BYTES = 1 << 20;

    /**
     * Writes every dirty resident page among the first {@code limit} (not synced), waiting for
     * pages that writers hold. A run of adjacent dirty pages is one request of up to 1 MiB, and
     * up to {@value #BATCH} requests are in flight at once: a flush after a load writes at the
     * disk's sequential speed, not at its 4 KiB IOPS. Pages keep their state words: a flush is
     * not an access.
     */
    void flush(long limit) throws IOException {
        int maxRun = Math.max(1, MAX_RUN_BYTES >> pageShift);
        PageBatch batch = new PageBatch(BATCH);
        long[] locked = new long[BATCH * maxRun];
        long[] before = new long[BATCH * maxRun];
        int n = 0;
        long runStart = -1;
        int runLen = 0;
        for (long pid = 0; pid < limit; pid++) {
            boolean take = false;
            long w = ABSENT;
            if (isDirty(pid)) {
                w = latchResident(pid);
                if (w != ABSENT) {
                    take = isDirty(pid);
                    if (!take) {
                        states.publish(pid, w);
                    }
                }
            }
            if (runLen > 0 && (!take || runLen == maxRun)) {
                batch.write(runStart << pageShift, region.asSlice(runStart << pageShift, (long) runLen << pageShift));
                runLen = 0;
                if (batch.size() == BATCH) {
                    flushBatch(batch, locked, before, n);
                    n = 0;
                }
            }
            if (take) {
                PageFrames.seal(page(pid));
                if (runLen == 0) {
                    runStart = pid;
                }
                runLen++;
                locked[n] = pid;
                before[n++] = w;
            }
        }
        if (runLen > 0) {
            batch.write(runStart << pageShift, region.asSlice(runStart << pageShift, (long) runLen << pageShift));
        }
        flushBatch(batch, locked, before, n);
    }

    /** Latches a resident page, returning its word before; {@link #ABSENT} if it is not resident. */
    private long latchResident(long pid) {
        for (int spins = 0; ; spins++) {
            long w = states.word(pid);
            if (PageState.state(w) == PageState.EVICTED) {
                return ABSENT;
            }
            if (states.tryLatch(pid, w)) {
                return w;
            }
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    private void flushBatch(PageBatch batch, long[] locked, long[] before, int n) throws IOException {
        try {
            io.execute(batch);
            writes.addAndGet(n);
            for (int i = 0; i < n; i++) {
                dirty.set(ValueLayout.JAVA_BYTE, locked[i], (byte) 0);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                states.publish(locked[i], before[i]);
            }
            batch.clear();
        }
    }
}
