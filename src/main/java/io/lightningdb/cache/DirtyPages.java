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

    /**
     * Writes every dirty resident page among the first {@code limit} (not synced), waiting for
     * pages that writers hold. Pages keep their state words: a flush is not an access.
     */
    void flush(long limit) throws IOException {
        PageBatch batch = new PageBatch(BATCH);
        long[] locked = new long[BATCH];
        long[] before = new long[BATCH];
        int n = 0;
        for (long pid = 0; pid < limit; pid++) {
            if (!isDirty(pid)) {
                continue;
            }
            long w = latchResident(pid);
            if (w == ABSENT) {
                continue;
            }
            if (!isDirty(pid)) {
                states.publish(pid, w);
                continue;
            }
            MemorySegment p = page(pid);
            PageFrames.seal(p);
            batch.write(pid << pageShift, p);
            locked[n] = pid;
            before[n++] = w;
            if (n == BATCH) {
                flushBatch(batch, locked, before, n);
                n = 0;
            }
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
            writes.addAndGet(batch.size());
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
