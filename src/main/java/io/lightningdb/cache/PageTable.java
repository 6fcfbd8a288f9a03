package io.lightningdb.cache;

import io.lightningdb.io.PageIO;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where each page lives in the file: page id to slot (a page-sized place; file offset = slot ×
 * page size). A page is never written over its last checkpointed copy: every write goes to a
 * fresh slot and the old one is released, but it becomes free only once a checkpoint that no
 * longer refers to it is durable. So the file always holds the last checkpoint whole, whatever a
 * crash tears, and recovery starts from it (docs/architecture.md, "Checkpoints").
 *
 * <p>Slots 0 and 1 hold the two superblock copies. Slot 0 in the table means "no place": a page
 * never written, or a free page.
 *
 * {@snippet class=io.lightningdb.cache.CacheExamples region="pageTable"}
 */
public final class PageTable implements AutoCloseable {
    /** Slots 0 and 1: the superblock copies. */
    public static final long FIRST_DATA_SLOT = 2;
    /**
     * The in-memory entry of a free page whose slot compaction took back ({@link #forget}): it has
     * no place, and a stale reader loading it gets a zeroed page (no tree node), not an error.
     * Never stored: images give free pages no slot anyway.
     */
    private static final long FORGOTTEN = -1L;

    private final Path file;
    private final MemorySegment map;
    /**
     * Per page: the generation its current slot was written in. A slot written in the current
     * generation belongs to no checkpoint image yet, so when the page moves again it is free at
     * once; only slots an image may hold wait for checkpoints.
     */
    private final MemorySegment born;
    /** Free slots below {@link #slotCount}: when none, allocation appends without searching. */
    private long freeSlots;
    /** The fewest free slots since {@link #takeFreeLowWater}: what the writes since then did not need. */
    private long freeLowWater;
    private final long maxPages;
    private final long maxSlots;
    private final int chunkEntries;
    /** Bit per slot: in use by the live table, a checkpoint image, or a write in flight. */
    private long[] used = new long[64];
    private long slotCount = FIRST_DATA_SLOT;
    private long searchFrom = FIRST_DATA_SLOT;
    /** The most {@link #truncateFreeTail} cuts under the lock at once. */
    static final long TRUNCATE_STEP = 64L << 20;
    /** Released slots with the checkpoint generation that frees them: {slot, generation}. */
    private final List<long[]> released = new ArrayList<>();
    private long generation = 1;
    /** Bit per chunk of {@code chunkEntries} page ids: changed since the last snapshot. */
    private long[] changed = new long[1];
    private final FileGrowth growth = new FileGrowth();

    /**
     * @param file for messages
     * @param maxPages page ids are below this
     * @param maxSlots the file may not grow past this many slots
     * @param chunkEntries page ids per table chunk (one chunk is written as one page)
     */
    public PageTable(Path file, long maxPages, long maxSlots, int chunkEntries) throws IOException {
        this.file = file;
        this.maxPages = maxPages;
        this.maxSlots = maxSlots;
        this.chunkEntries = chunkEntries;
        this.map = Reservations.reserve(maxPages * Long.BYTES);
        MemorySegment b;
        try {
            b = Reservations.reserve(maxPages * Integer.BYTES);
        } catch (IOException | RuntimeException e) {
            Reservations.release(map);
            throw e;
        }
        this.born = b;
        markUsed(0);
        markUsed(1);
    }

    public int chunkEntries() {
        return chunkEntries;
    }

    /** The slot of page {@code pid}, 0 if it has none. */
    public long slot(long pid) {
        return Math.max(0, map.getAtIndex(ValueLayout.JAVA_LONG, pid));
    }

    /** Whether page {@code pid} is a free page whose slot {@link #forget} took back. */
    public boolean forgotten(long pid) {
        return map.getAtIndex(ValueLayout.JAVA_LONG, pid) == FORGOTTEN;
    }

    /**
     * Takes back the slot of free page {@code pid} (compaction): the slot is released as if the
     * page had moved, and the page has no place until it is written again. The caller guarantees
     * that no write of the page is in flight and that nobody but a stale reader can reach it.
     */
    public synchronized void forget(long pid) {
        long old = map.getAtIndex(ValueLayout.JAVA_LONG, pid);
        if (old > 0) {
            set(pid, FORGOTTEN);
            replaced(pid, old, generation);
        }
    }

    /** Slots in use: by the live table, a checkpoint image, a write in flight, or a superblock copy. */
    public synchronized long usedSlots() {
        long n = 0;
        for (int w = 0; w < used.length && ((long) w << 6) < slotCount; w++) {
            n += Long.bitCount(used[w]);
        }
        return n;
    }

    /**
     * Cuts the file after the highest slot in use (compaction's last step): every slot past it is
     * free, so no image, table or write in flight needs it. Cut {@link #TRUNCATE_STEP} bytes at a
     * time, each step under the table's lock (allocation waits, so no write lands in the part
     * being cut) and the sync after the last outside it: a write-back or an eviction that needs a
     * slot meanwhile waits for one step's truncate (milliseconds), not for the file system to free
     * and sync a gigabyte. Returns the file's size in slots after.
     */
    public long truncateFreeTail(PageIO io) throws IOException {
        boolean cut = false;
        while (true) {
            synchronized (this) {
                long keep = FIRST_DATA_SLOT;
                for (long s = slotCount - 1; s >= FIRST_DATA_SLOT; s--) {
                    if (isUsed(s)) {
                        keep = s + 1;
                        break;
                    }
                }
                long size = io.size();
                long bytes = keep * io.pageSize();
                long to = Math.max(bytes, (size - TRUNCATE_STEP) / io.pageSize() * io.pageSize());
                if (size > to) {
                    io.truncate(to);
                    cut = true;
                }
                long toSlots = Math.max(keep, Math.min(slotCount, to / io.pageSize()));
                growth.cutTo(Math.max(to, toSlots * io.pageSize()));
                if (toSlots < slotCount) {
                    freeSlots -= slotCount - toSlots;
                    freeLowWater = Math.min(freeLowWater, freeSlots);
                    slotCount = toSlots;
                    searchFrom = Math.min(searchFrom, toSlots);
                }
                if (to == bytes) {
                    if (cut) {
                        break;
                    }
                    return keep;
                }
            }
        }
        io.sync();
        synchronized (this) {
            return slotCount;
        }
    }

    /**
     * At close, no write in flight: if this handle wrote the file, cuts it after the highest slot
     * in use ({@link #truncateFreeTail}: its preallocation and the free slots at its end go back);
     * a file this handle never wrote (a failed open, a read-only session) is left as it is.
     */
    public void closeTail(PageIO io) throws IOException {
        if (growth.touched()) {
            truncateFreeTail(io);
        }
    }

    /** Before writing slots below {@code slotEnd}: grows the file ahead of them ({@link FileGrowth}). */
    void coverWrites(long slotEnd, PageIO io) throws IOException {
        growth.cover(slotEnd * io.pageSize(), io);
    }

    /** Slots the file spans (its high-water mark). */
    public synchronized long slotCount() {
        return slotCount;
    }

    /**
     * Reserves a run of fresh slots of length {@code got[0]}, between 1 and {@code n}: the first
     * free run after the previous allocation, or the end of the file. Throws when the file may not
     * grow.
     */
    public synchronized long allocate(int n, int[] got) throws IOException {
        long start = -1;
        if (freeSlots > 0) {
            start = nextFree(searchFrom);
            if (start < 0) {
                start = nextFree(FIRST_DATA_SLOT);
            }
        }
        if (start < 0) {
            if (slotCount >= maxSlots) {
                throw new FileFullException(file, maxSlots);
            }
            start = slotCount;
        }
        long end = start;
        while (end - start < n && end < maxSlots && !isUsed(end)) {
            if (end < slotCount) {
                freeSlots--;
            }
            markUsed(end);
            end++;
        }
        slotCount = Math.max(slotCount, end);
        searchFrom = end;
        got[0] = (int) (end - start);
        freeLowWater = Math.min(freeLowWater, freeSlots);
        return start;
    }

    /** The first free slot at or after {@code from} below the file's end, or -1. */
    private long nextFree(long from) {
        for (long s = from; s < slotCount; ) {
            if ((s >>> 6) >= used.length) {
                return s;
            }
            long word = used[(int) (s >>> 6)] | ((1L << (s & 63)) - 1);
            if (word != -1L) {
                long free = (s & ~63L) + Long.numberOfTrailingZeros(~word);
                return free < slotCount ? free : -1;
            }
            s = (s & ~63L) + 64;
        }
        return -1;
    }

    /** Gives back slots from {@link #allocate} that were never written (a failed write). */
    public synchronized void unused(long start, int n) {
        for (long s = start; s < start + n; s++) {
            free(s);
        }
    }

    private void free(long slot) {
        clearUsed(slot);
        freeSlots++;
        searchFrom = Math.min(searchFrom, slot);
    }

    /**
     * The old slot of a page that moves to a slot of the image of {@code bornIn}: free now if it
     * was written in that same generation (no image holds it: the images before were taken before
     * it was written, and that image takes the new slot), else held for checkpoints.
     */
    private void replaced(long pid, long old, long bornIn) {
        if (born.getAtIndex(ValueLayout.JAVA_INT, pid) == (int) bornIn) {
            free(old);
        } else {
            released.add(new long[] {old, generation});
        }
    }

    /** Page {@code pid} now lives in {@code slot}; its previous slot is released. */
    public synchronized void moved(long pid, long slot) {
        moved(pid, slot, generation);
    }

    /**
     * As {@link #moved(long, long)}, for a slot that belongs to the image of {@code bornIn}: a page
     * written for a checkpoint's capture after the capture opened the next generation.
     */
    synchronized void moved(long pid, long slot, long bornIn) {
        long old = set(pid, slot);
        if (old > 0) {
            replaced(pid, old, bornIn);
        }
        born.setAtIndex(ValueLayout.JAVA_INT, pid, (int) bornIn);
    }

    private long set(long pid, long slot) {
        if (pid <= 0 || pid >= maxPages) {
            throw new IllegalArgumentException("page id " + pid + " outside [1, " + maxPages + ")");
        }
        long old = map.getAtIndex(ValueLayout.JAVA_LONG, pid);
        map.setAtIndex(ValueLayout.JAVA_LONG, pid, slot);
        markChanged(pid);
        return old;
    }

    private void markChanged(long pid) {
        int chunk = (int) (pid / chunkEntries);
        if ((chunk >>> 6) >= changed.length) {
            changed = Arrays.copyOf(changed, Math.max(changed.length * 2, (chunk >>> 6) + 1));
        }
        changed[chunk >>> 6] |= 1L << (chunk & 63);
    }

    /** Makes chunk {@code chunk} count as changed, so that the next snapshot writes it anew (to a fresh slot). */
    public synchronized void rewriteChunk(long chunk) {
        markChanged(chunk * chunkEntries);
    }

    /** Releases a slot the table does not map (a checkpoint's own page) for checkpoint {@code generation}. */
    public synchronized void releaseForCheckpoint(long slot, long generation) {
        released.add(new long[] {slot, generation});
    }

    /** Marks a slot in use when loading a checkpoint; false if it already was (two owners: corrupt). */
    public synchronized boolean claim(long slot) {
        if (slot < FIRST_DATA_SLOT || slot >= maxSlots || isUsed(slot)) {
            return false;
        }
        markUsed(slot);
        slotCount = Math.max(slotCount, slot + 1);
        return true;
    }

    /** Sets the table entry of {@code pid} while loading a checkpoint (slot already claimed). */
    public synchronized void load(long pid, long slot) {
        map.setAtIndex(ValueLayout.JAVA_LONG, pid, slot);
    }

    /** Extends the file's span while loading (slots past the last one used are free). */
    public synchronized void loadedSlotCount(long count) {
        slotCount = Math.max(slotCount, count);
    }

    /** After loading: every slot below the file's span that the image does not use is free. */
    public synchronized void countFree() {
        long used = 0;
        for (long s = 0; s < slotCount; s++) {
            if (isUsed(s)) {
                used++;
            }
        }
        freeSlots = slotCount - used;
        freeLowWater = freeSlots;
    }

    /** Slots below {@link #slotCount} that hold no page any image needs: room a write can take, or compaction give back. */
    public synchronized long freeSlots() {
        return freeSlots;
    }

    /**
     * The fewest slots that were free at once since the last call (or the load): space no write
     * in the interval needed, so copy-on-write churn that keeps reusing it never shows here.
     * Starts the next interval.
     */
    public synchronized long takeFreeLowWater() {
        long low = Math.min(freeLowWater, freeSlots);
        freeLowWater = freeSlots;
        return low;
    }

    /**
     * Starts checkpoint image number {@link #generation()}: copies the chunks changed since the
     * last one (entries of {@code freePids} zeroed, as free pages have no place in an image) and
     * opens the next generation. Call with writers stopped; the entries of {@code capturedPids}
     * (pages the image takes as they are now, written after) are {@link #patch patched} in once
     * written.
     *
     * @return the changed chunks: {chunk index, entries...} each
     */
    public synchronized List<long[]> snapshot(long pidCount, long[] freePids, int freeCount, long[] capturedPids) {
        for (int i = 0; i < freeCount; i++) {
            markChanged(freePids[i]);
        }
        for (long pid : capturedPids) {
            markChanged(pid);
        }
        long chunks = (pidCount + chunkEntries - 1) / chunkEntries;
        List<long[]> out = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            if ((c >>> 6) < changed.length && (changed[c >>> 6] & (1L << (c & 63))) != 0) {
                long[] entries = new long[chunkEntries + 1];
                entries[0] = c;
                long base = (long) c * chunkEntries;
                long n = Math.min(chunkEntries, pidCount - base);
                MemorySegment.copy(map, ValueLayout.JAVA_LONG, base * Long.BYTES, entries, 1, (int) n);
                for (int i = 1; i <= n; i++) {
                    entries[i] = Math.max(0, entries[i]);
                }
                out.add(entries);
            }
        }
        Arrays.fill(changed, 0);
        for (int i = 0; i < freeCount; i++) {
            long pid = freePids[i];
            long[] entries = findChunk(out, pid / chunkEntries);
            entries[1 + (int) (pid % chunkEntries)] = 0;
        }
        generation++;
        return out;
    }

    /** A snapshot that never became durable: its chunks count as changed again for the next. */
    public synchronized void unsnapshot(List<long[]> chunks) {
        for (long[] c : chunks) {
            markChanged(c[0] * chunkEntries);
        }
    }

    /** Sets the entry of {@code pid} in a snapshot's chunks (a captured page's image slot). */
    public void patch(List<long[]> chunks, long pid, long slot) {
        findChunk(chunks, pid / chunkEntries)[1 + (int) (pid % chunkEntries)] = slot;
    }

    private static long[] findChunk(List<long[]> chunks, long index) {
        int lo = 0;
        int hi = chunks.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long c = chunks.get(mid)[0];
            if (c == index) {
                return chunks.get(mid);
            }
            if (c < index) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        throw new IllegalStateException("chunk " + index + " missing from the snapshot");
    }

    /** The generation slots released now belong to: the number of the next checkpoint image. */
    public synchronized long generation() {
        return generation;
    }

    /** Checkpoint image {@code generation} is durable: slots released for it and before are free. */
    public synchronized void durable(long generation) {
        int kept = 0;
        for (long[] r : released) {
            if (r[1] <= generation) {
                free(r[0]);
            } else {
                released.set(kept++, r);
            }
        }
        released.subList(kept, released.size()).clear();
    }

    private boolean isUsed(long slot) {
        int w = (int) (slot >>> 6);
        return w < used.length && (used[w] & (1L << (slot & 63))) != 0;
    }

    private void markUsed(long slot) {
        int w = (int) (slot >>> 6);
        if (w >= used.length) {
            used = Arrays.copyOf(used, Math.max(used.length * 2, w + 1));
        }
        used[w] |= 1L << (slot & 63);
    }

    private void clearUsed(long slot) {
        used[(int) (slot >>> 6)] &= ~(1L << (slot & 63));
    }

    @Override
    public void close() throws IOException {
        Reservations.release(map, born);
    }
}
