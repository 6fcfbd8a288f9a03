package io.lightningdb.cache;

import io.lightningdb.io.PageBatch;
import io.lightningdb.io.PageIO;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
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
    /** Returned by {@link #tryLatchResident} when the page is latched by someone else. */
    static final long BUSY = -2;
    private static final int SPINS_BEFORE_YIELD = 64;

    private final PageIO io;
    /** Where pages go; null: in place at pid × pageSize. */
    private final PageTable table;
    private final StateTable states;
    private final MemorySegment region;
    private final MemorySegment dirty;
    private final int pageShift;
    private final PageBatch victimBatch = new PageBatch(BATCH);
    private final AtomicLong writes = new AtomicLong();

    private final CapturedPages captured;

    DirtyPages(PageIO io, PageTable table, StateTable states, MemorySegment region, MemorySegment dirty, int pageShift,
            CapturedPages captured) {
        this.io = io;
        this.table = table;
        this.captured = captured;
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

    /**
     * {@link BufferPool#forget}: under the page's latch, or its evicted state word claimed (so no
     * write-back or load of it is in flight), its slot goes back and it is no longer dirty.
     */
    void forget(long pid) {
        for (int spins = 0; ; spins++) {
            long w = states.word(pid);
            boolean claimed = PageState.state(w) == PageState.EVICTED
                    ? states.cas(pid, w, PageState.make(PageState.LOCKED, w))
                    : states.tryLatch(pid, w);
            if (claimed) {
                try {
                    table.forget(pid);
                    dirty.set(ValueLayout.JAVA_BYTE, pid, (byte) 0);
                } finally {
                    states.publish(pid, w);
                }
                return;
            }
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    boolean isDirty(long pid) {
        return dirty.get(ValueLayout.JAVA_BYTE, pid) != 0;
    }

    private MemorySegment page(long pid) {
        return region.asSlice(pid << pageShift, 1L << pageShift);
    }

    long writes() {
        return writes.get();
    }

    /**
     * Writes the dirty ones among {@code n} latched victims in one batch, each to a fresh place
     * when there is a page table; they are clean after it.
     */
    void writeVictims(long[] victims, int n) throws IOException {
        victimBatch.clear();
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (isDirty(victims[i])) {
                PageFrames.seal(page(victims[i]));
                victimPids[m++] = victims[i];
            }
        }
        Placement placed = place(victimPids, m);
        try {
            for (int i = 0; i < m; i++) {
                victimBatch.write(placed.offset(i, pageShift), page(victimPids[i]));
            }
            io.execute(victimBatch);
        } catch (IOException | RuntimeException e) {
            placed.giveBack(table);
            throw e;
        }
        placed.commit(table, victimPids, captured);
        writes.addAndGet(m);
        for (int i = 0; i < n; i++) {
            dirty.set(ValueLayout.JAVA_BYTE, victims[i], (byte) 0);
        }
    }

    private final long[] victimPids = new long[BATCH];

    /** Fresh places for {@code m} pages (in place without a table), as runs of slots. */
    private Placement place(long[] pids, int m) throws IOException {
        Placement p = new Placement(m);
        if (table == null) {
            for (int i = 0; i < m; i++) {
                p.slots[i] = pids[i];
            }
            return p;
        }
        int[] got = new int[1];
        int done = 0;
        try {
            while (done < m) {
                long start = table.allocate(m - done, got);
                p.runs.add(new long[] {start, got[0]});
                for (int k = 0; k < got[0]; k++) {
                    p.slots[done++] = start + k;
                }
            }
            table.coverWrites(p.end(), io);
        } catch (IOException e) {
            p.giveBack(table);
            throw e;
        }
        return p;
    }

    /** The slots chosen for a write: published to the table after it, given back if it fails. */
    private static final class Placement {
        final long[] slots;
        final List<long[]> runs = new ArrayList<>(2);

        Placement(int m) {
            slots = new long[m];
        }

        long offset(int i, int pageShift) {
            return slots[i] << pageShift;
        }

        /** Just past the highest slot of the placement. */
        long end() {
            long end = 0;
            for (long[] r : runs) {
                end = Math.max(end, r[0] + r[1]);
            }
            return end;
        }

        void giveBack(PageTable table) {
            if (table != null) {
                for (long[] r : runs) {
                    table.unused(r[0], (int) r[1]);
                }
            }
        }

        /** Publishes the slots; a page a checkpoint captured was written as captured: its image's slot too. */
        void commit(PageTable table, long[] pids, CapturedPages captured) {
            if (table != null) {
                for (int i = 0; i < slots.length; i++) {
                    if (captured.isMarked(pids[i])) {
                        table.moved(pids[i], slots[i], captured.generation());
                        captured.writtenAsCaptured(pids[i], slots[i]);
                    } else {
                        table.moved(pids[i], slots[i]);
                    }
                }
            }
        }
    }

    /** Bytes one flush write may cover: adjacent dirty pages are adjacent in memory too, so a run is one I/O. */
    private static final int MAX_RUN_BYTES = 1 << 20;
    /**
     * Bytes of pages one flush group latches: a group's pages stay latched until its writes are
     * done, so this bounds what a writer that needs one of them waits (a 32 MiB group made writers
     * wait 10-25 ms, every few batches, through a load).
     */
    private static final int GROUP_BYTES = 1 << 20;

    /**
     * Writes every dirty resident page among the first {@code limit} (not synced) and returns how
     * many it wrote, waiting for pages that writers hold. Pages go out in groups of up to
     * {@value #BATCH} requests in flight at once and {@value #GROUP_BYTES} bytes, a run of
     * adjacent dirty pages being one request, so a flush after a load writes at the disk's
     * sequential speed, not at its 4 KiB IOPS, while a writer that needs a page of the group
     * waits for one group's writes at most. Pages keep their state words: a flush is not an access.
     */
    long flush(long limit) throws IOException {
        int maxRun = Math.max(1, MAX_RUN_BYTES >> pageShift);
        int group = Math.max(BATCH, GROUP_BYTES >> pageShift);
        long[] locked = new long[group];
        long[] before = new long[group];
        int n = 0;
        int requests = 0;
        long written = 0;
        for (long pid = 0; pid < limit; pid++) {
            if (!isDirty(pid)) {
                continue;
            }
            long w = n == 0 ? latchResident(pid) : tryLatchResident(pid);
            if (w == BUSY) {
                // Never wait for a page while holding the group's: the writer holding it may be
                // waiting for one of them (a leaf and its value page, a leaf and its right sibling).
                flushGroup(locked, before, n, maxRun);
                written += n;
                n = 0;
                requests = 0;
                w = latchResident(pid);
            }
            if (w == ABSENT) {
                continue;
            }
            if (!isDirty(pid)) {
                states.publish(pid, w);
                continue;
            }
            PageFrames.seal(page(pid));
            if (n == 0 || locked[n - 1] != pid - 1) {
                // A page that starts a request past the group's last one starts the next group.
                if (requests == BATCH) {
                    flushGroup(locked, before, n, maxRun);
                    written += n;
                    n = 0;
                    requests = 0;
                }
                requests++;
            }
            locked[n] = pid;
            before[n++] = w;
            if (n == group) {
                flushGroup(locked, before, n, maxRun);
                written += n;
                n = 0;
                requests = 0;
            }
        }
        flushGroup(locked, before, n, maxRun);
        return written + n;
    }

    /**
     * Writes {@code n} latched pages to fresh places; pages adjacent both in memory and in the
     * file go out as one request, up to {@code maxRun} pages. Unlatches them in any case.
     */
    private void flushGroup(long[] locked, long[] before, int n, int maxRun) throws IOException {
        if (n == 0) {
            return;
        }
        try {
            Placement placed = place(locked, n);
            PageBatch batch = new PageBatch(BATCH);
            try {
                int i = 0;
                while (i < n) {
                    int len = 1;
                    while (i + len < n && len < maxRun && locked[i + len] == locked[i] + len
                            && placed.slots[i + len] == placed.slots[i] + len) {
                        len++;
                    }
                    batch.write(placed.offset(i, pageShift), region.asSlice(locked[i] << pageShift, (long) len << pageShift));
                    i += len;
                }
                io.execute(batch);
            } catch (IOException | RuntimeException e) {
                placed.giveBack(table);
                throw e;
            }
            placed.commit(table, locked, captured);
            writes.addAndGet(n);
            for (int i = 0; i < n; i++) {
                dirty.set(ValueLayout.JAVA_BYTE, locked[i], (byte) 0);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                states.publish(locked[i], before[i]);
            }
        }
    }

    /**
     * Writes one latched dirty page to a fresh slot that belongs to the image of {@code bornIn};
     * the page is clean after it. Returns the slot.
     */
    long writeOne(long pid, long bornIn) throws IOException {
        long slot = writeToFreshSlots(new MemorySegment[] {page(pid)}, 1)[0];
        movedAfterWrite(pid, slot, bornIn);
        return slot;
    }

    /** The latched page {@code pid} was written to {@code slot} for the image of {@code bornIn}: it is clean. */
    void movedAfterWrite(long pid, long slot, long bornIn) {
        table.moved(pid, slot, bornIn);
        writes.incrementAndGet();
        dirty.set(ValueLayout.JAVA_BYTE, pid, (byte) 0);
    }

    /** The frame of page {@code pid}. */
    MemorySegment frame(long pid) {
        return page(pid);
    }

    /**
     * Seals the first {@code n} of {@code pages} and writes them, in one batch, to fresh slots,
     * returned in the same order; the slots are given back if the batch fails. Who the slots
     * belong to is the caller's to record.
     */
    long[] writeToFreshSlots(MemorySegment[] pages, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            PageFrames.seal(pages[i]);
        }
        Placement placed = place(new long[n], n);
        try {
            PageBatch b = new PageBatch(n);
            for (int i = 0; i < n; i++) {
                b.write(placed.offset(i, pageShift), pages[i]);
            }
            io.execute(b);
        } catch (IOException | RuntimeException e) {
            placed.giveBack(table);
            throw e;
        }
        return placed.slots;
    }

    /**
     * Latches a resident page if no one holds it, returning its word before; {@link #ABSENT} if it
     * is not resident, {@link #BUSY} if it is latched. For a caller that holds other latches and
     * so must not wait.
     */
    long tryLatchResident(long pid) {
        long w = states.word(pid);
        if (PageState.state(w) == PageState.EVICTED) {
            return ABSENT;
        }
        return states.tryLatch(pid, w) ? w : BUSY;
    }

    /** Latches a resident page, returning its word before; {@link #ABSENT} if it is not resident. */
    long latchResident(long pid) {
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

}
