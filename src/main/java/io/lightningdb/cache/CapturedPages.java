package io.lightningdb.cache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copy-on-write for a checkpoint: the pages dirty at the moment of a checkpoint's capture belong
 * to its image as they were then, but writers run on while they are written. So capture only
 * marks them (a byte per page, a scan of the dirty map: microseconds per thousand pages); a writer
 * that latches a marked page first copies it aside ({@link #preserve}); eviction of a marked page
 * writes it as it is; the checkpoint then writes every marked page, from the page if untouched,
 * from its copy if not ({@link #writeAll}). Writers thus stall only for the capture, not for the
 * writes (see docs/architecture.md, "Checkpoints"). A checkpoint drives it through the pool:
 *
 * {@snippet class=io.lightningdb.cache.CacheExamples region="capture"}
 */
final class CapturedPages {
    private final MemorySegment marks;
    private final ScratchPages scratch;
    private final Map<Long, MemorySegment> copies = new ConcurrentHashMap<>();
    private final Map<Long, Long> imageSlots = new ConcurrentHashMap<>();
    private long[] pids = new long[0];
    private int count;
    private long generation;
    /** Whether a capture is being written: lets lock() skip the mark lookup otherwise. */
    private volatile boolean active;

    CapturedPages(MemorySegment marks, ScratchPages scratch) {
        this.marks = marks;
        this.scratch = scratch;
    }

    MemorySegment segment() {
        return marks;
    }

    /**
     * Marks every dirty resident page below {@code limit} but {@code free} ones as belonging to the
     * image of {@code generation}; returns their ids. Writers are stopped, eviction held off.
     */
    long[] begin(long generation, BitSet free, DirtyPages dirty, StateTable states, long limit) {
        long[] found = new long[64];
        int n = 0;
        for (long pid = 1; pid < limit; pid++) {
            if (dirty.isDirty(pid) && PageState.state(states.word(pid)) != PageState.EVICTED && !free.get((int) pid)) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = pid;
            }
        }
        long[] out = Arrays.copyOf(found, n);
        begin(generation, out, n);
        return out;
    }

    private void begin(long generation, long[] pids, int n) {
        if (active) {
            throw new IllegalStateException("a checkpoint capture is still being written");
        }
        this.generation = generation;
        this.pids = pids;
        this.count = n;
        for (int i = 0; i < n; i++) {
            marks.set(ValueLayout.JAVA_BYTE, pids[i], (byte) 1);
        }
        active = true;
    }

    /** The generation of the image being written. */
    long generation() {
        return generation;
    }

    boolean isMarked(long pid) {
        return active && marks.get(ValueLayout.JAVA_BYTE, pid) != 0;
    }

    /** A writer latched a marked page: keep its captured contents aside. Caller holds the page's latch. */
    void preserve(long pid, MemorySegment page) {
        if (!isMarked(pid)) {
            return;
        }
        MemorySegment copy = scratch.acquire(1);
        copy.copyFrom(page);
        copies.put(pid, copy);
        marks.set(ValueLayout.JAVA_BYTE, pid, (byte) 0);
    }

    /** A marked page was written as it was captured (eviction, under its latch) to {@code slot}. */
    void writtenAsCaptured(long pid, long slot) {
        imageSlots.put(pid, slot);
        marks.set(ValueLayout.JAVA_BYTE, pid, (byte) 0);
    }

    /** Captured pages written in one batch: the disk sees up to this many requests at once, not one. */
    static final int GROUP = 64;

    /**
     * Writes every captured page not written yet to fresh slots, {@value #GROUP} at a time in one
     * batch: untouched ones from the page (latched meanwhile, then clean), touched ones from their
     * copy (the image's slot only, not the page's). Returns pid to slot for every captured page,
     * and ends the capture.
     */
    Map<Long, Long> writeAll(BufferPool pool, PageTable table, DirtyPages dirty) throws IOException {
        long[] group = new long[GROUP];
        long[] words = new long[GROUP];
        MemorySegment[] pages = new MemorySegment[GROUP];
        try {
            int i = 0;
            while (i < count) {
                int n = 0;
                try {
                    for (; i < count && n < GROUP; i++) {
                        long pid = pids[i];
                        if (imageSlots.containsKey(pid)) {
                            continue;
                        }
                        // Wait for a latched page only while holding none: its holder may wait for one of ours.
                        long before = n == 0 ? dirty.latchResident(pid) : dirty.tryLatchResident(pid);
                        if (before == DirtyPages.BUSY) {
                            break; // this group is written below, then this page waited for first
                        }
                        if (before != DirtyPages.ABSENT && marks.get(ValueLayout.JAVA_BYTE, pid) != 0) {
                            pages[n] = dirty.frame(pid); // untouched since the capture: stays latched until written
                        } else {
                            // Preserved by a writer, or evicted since (written as captured, or preserved first).
                            if (before != DirtyPages.ABSENT) {
                                pool.unlatchUnchanged(pid, before);
                                before = DirtyPages.ABSENT;
                            }
                            if (imageSlots.containsKey(pid)) {
                                continue;
                            }
                            pages[n] = copies.get(pid);
                            if (pages[n] == null) {
                                throw new IllegalStateException("captured page " + pid + " was neither written nor preserved");
                            }
                        }
                        group[n] = pid;
                        words[n++] = before;
                    }
                    long[] slots = dirty.writeToFreshSlots(pages, n);
                    for (int j = 0; j < n; j++) {
                        if (words[j] != DirtyPages.ABSENT) {
                            dirty.movedAfterWrite(group[j], slots[j], generation);
                            writtenAsCaptured(group[j], slots[j]);
                        } else {
                            // In no table but the image's: free once the image after the next one is durable.
                            table.releaseForCheckpoint(slots[j], generation + 1);
                            imageSlots.put(group[j], slots[j]);
                        }
                    }
                } finally {
                    for (int j = 0; j < n; j++) {
                        if (words[j] != DirtyPages.ABSENT) {
                            pool.unlatchUnchanged(group[j], words[j]);
                        }
                    }
                }
            }
            return new HashMap<>(imageSlots);
        } finally {
            for (int i = 0; i < count; i++) {
                marks.set(ValueLayout.JAVA_BYTE, pids[i], (byte) 0);
            }
            active = false;
            copies.values().forEach(scratch::release);
            copies.clear();
            imageSlots.clear();
        }
    }
}
