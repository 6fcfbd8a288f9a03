package io.lightningdb.pagefile;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.cache.CacheConfig;
import io.lightningdb.cache.PageTable;
import io.lightningdb.io.IoConfig;
import io.lightningdb.io.PageIO;
import io.lightningdb.io.PageIOs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * One database file: superblock copies, page table, buffer pool, page-id allocation.
 *
 * <p>Pages are never overwritten in place (see {@link PageTable}): the file holds the last
 * checkpoint image whole while later changes go to fresh slots, so a crash at any moment leaves an
 * image to recover from. A checkpoint is two steps: {@link #capture} with writers stopped (every
 * dirty page written, the changed page-table chunks copied), then {@link #persist} with writers
 * running (table pages, sync, superblock, sync).
 *
 * <p>Freed page ids wait in limbo, tagged with the epoch of their release, until no reader that
 * entered before can still run ({@link Epochs}); then they are handed out again before new ids.
 * A free page keeps its slot until it is written again, but a checkpoint image gives it none:
 * free ids are not stored, at open every id without a slot is free.
 *
 * {@snippet class=io.lightningdb.pagefile.PageFileExamples region="create"}
 */
public final class PageFile implements AutoCloseable {
    private final Path path;
    private final PageIO io;
    private final PageTable table;
    private final TableStore store;
    private final BufferPool pool;
    private final Epochs epochs = new Epochs();
    private final int pageSize;
    private final int maxKeySize;
    private long pidCount = 1;
    private long[] free = new long[64];
    private int freeCount;
    /** Freed pages not yet safe to reuse: {pid, epoch} pairs in release order. */
    private final ArrayDeque<long[]> limbo = new ArrayDeque<>();
    private Superblock loaded;

    private PageFile(Path path, PageIO io, PageTable table, BufferPool pool, int pageSize, int maxKeySize) {
        this.path = path;
        this.io = io;
        this.table = table;
        this.store = new TableStore(path, io, table, pageSize, pool.scratch());
        this.pool = pool;
        this.pageSize = pageSize;
        this.maxKeySize = maxKeySize;
    }

    /** Creates a new file (refusing to overwrite one). */
    public static PageFile create(Path path, int pageSize, int maxKeySize, IoConfig ioConfig, long maxPages, long cacheBytes)
            throws IOException {
        return create(path, pageSize, maxKeySize, ioConfig, maxPages, cacheBytes, CacheConfig.defaults());
    }

    /** As {@link #create(Path, int, int, IoConfig, long, long)}, with the cache's replacement policy. */
    public static PageFile create(Path path, int pageSize, int maxKeySize, IoConfig ioConfig, long maxPages, long cacheBytes,
            CacheConfig cache) throws IOException {
        if (Files.exists(path)) {
            throw new CorruptFileException(path, 0, "refusing to create: the file exists");
        }
        return openWith(path, pageSize, maxKeySize, ioConfig, maxPages, cacheBytes, cache);
    }

    /** Opens an existing file: reads the newest valid superblock, then its page table. */
    public static PageFile open(Path path, IoConfig ioConfig, long maxPages, long cacheBytes) throws IOException {
        return open(path, ioConfig, maxPages, cacheBytes, CacheConfig.defaults());
    }

    /** As {@link #open(Path, IoConfig, long, long)}, with the cache's replacement policy. */
    public static PageFile open(Path path, IoConfig ioConfig, long maxPages, long cacheBytes, CacheConfig cache)
            throws IOException {
        Superblock sb = Superblock.read(path);
        if (sb.pidCount() > maxPages || sb.pidCount() < 1) {
            throw new CorruptFileException(path, sb.fileOffset() + Superblock.PID_COUNT_OFFSET, "the file has "
                    + sb.pidCount() + " page ids, " + (sb.pidCount() < 1 ? "fewer than 1" : "more than maxDatabaseSize allows ("
                    + maxPages + " pages): open it with a larger maxDatabaseSize"));
        }
        PageFile f = openWith(path, sb.pageSize(), sb.maxKeySize(), ioConfig, maxPages, cacheBytes, cache);
        try {
            f.store.load(sb);
            long size = f.io.size();
            long needed = (f.store.highestSlot() + 1) * sb.pageSize();
            if (size < needed) {
                throw new CorruptFileException(path, size, "truncated: the checkpoint uses slot " + f.store.highestSlot()
                        + " (a page), which ends at offset " + needed + ", the file has " + size + " bytes");
            }
            f.pidCount = sb.pidCount();
            f.loaded = sb;
            for (long pid = f.pidCount - 1; pid >= 1; pid--) {
                if (f.table.slot(pid) == 0) {
                    f.pushFree(pid);
                }
            }
            f.nextSequence = sb.sequence() + 1;
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private long nextSequence;

    private static PageFile openWith(Path path, int pageSize, int maxKeySize, IoConfig ioConfig, long maxPages,
            long cacheBytes, CacheConfig cache) throws IOException {
        PageIO io = PageIOs.open(path, pageSize, ioConfig);
        PageTable table = null;
        try {
            // Twice the page ids: every page may have its checkpointed copy beside its newest one.
            table = new PageTable(path, maxPages, 2 * maxPages + 64, TableStore.entriesPerChunk(pageSize));
            BufferPool pool = new BufferPool(io, table, pageSize, maxPages, cacheBytes, cache);
            return new PageFile(path, io, table, pool, pageSize, maxKeySize);
        } catch (IOException | RuntimeException e) {
            if (table != null) {
                table.close();
            }
            io.close();
            throw e;
        }
    }

    /** The superblock this file was opened with, or null for a file just created. */
    public Superblock loadedSuperblock() {
        return loaded;
    }

    public Path path() {
        return path;
    }

    public BufferPool pool() {
        return pool;
    }

    public PageIO io() {
        return io;
    }

    public Epochs epochs() {
        return epochs;
    }

    public int pageSize() {
        return pageSize;
    }

    public int maxKeySize() {
        return maxKeySize;
    }

    /** Page ids handed out so far (the high-water mark, free ids included). */
    public synchronized long pageCount() {
        return pidCount;
    }

    /** Pages of the file: slots it spans, checkpointed copies and table pages included. */
    public long fileSlots() {
        return table.slotCount();
    }

    /** Slots of the file that hold no page an image needs (see {@link PageTable#freeSlots}). */
    public long freeSlots() {
        return table.freeSlots();
    }

    /** The fewest free slots since the last call; see {@link PageTable#takeFreeLowWater}. */
    public long takeFreeSlotLowWater() {
        return table.takeFreeLowWater();
    }

    /** The slot of page {@code pid} in the file (offset = slot × page size), 0 if it has none. */
    public long slotOf(long pid) {
        return table.slot(pid);
    }

    PageTable table() {
        return table;
    }

    TableStore store() {
        return store;
    }

    /** The data file's size in bytes now. */
    public long fileBytes() throws IOException {
        return io.size();
    }

    /**
     * Compaction's first step: every free page that no reader in an epoch can reach any more gives
     * its slot back ({@link BufferPool#forget}); the slots become free once the images that may
     * hold them are superseded (two checkpoints). Returns how many pages gave a slot back.
     */
    public synchronized long forgetFreeSlots() {
        reclaimLimbo();
        long n = 0;
        for (int i = 0; i < freeCount; i++) {
            if (table.slot(free[i]) != 0) {
                pool.forget(free[i]);
                n++;
            }
        }
        return n;
    }

    /**
     * Compaction's last step: cuts the file after the highest slot in use. Safe at any time, since
     * a slot is free only once neither superblock copy's image can need it; whether there is
     * anything to cut depends on what was moved and checkpointed before. Returns the size in bytes.
     */
    public long truncateFreeTail() throws IOException {
        return table.truncateFreeTail(io) * pageSize;
    }

    /** Free pages, reusable now or once readers have moved on. */
    public synchronized long freePages() {
        return freeCount + limbo.size();
    }

    /** A fresh page, zeroed and exclusively locked: a free one if any is safe to reuse, else a new one. */
    public long allocate() throws IOException {
        long pid;
        synchronized (this) {
            reclaimLimbo();
            if (freeCount > 0) {
                pid = free[--freeCount];
            } else {
                if (pidCount >= pool.maxPages()) {
                    throw new DatabaseFullException(path, pool.maxPages() * pageSize);
                }
                pid = pidCount++;
            }
        }
        pool.lockNew(pid);
        return pid;
    }

    /** Releases a page; it is reused once no reader that might still see it is running. */
    public synchronized void free(long pid) {
        if (pid <= 0 || pid >= pidCount) {
            throw new IllegalArgumentException("page id " + pid + " is not an allocated page (file has " + pidCount + ")");
        }
        limbo.addLast(new long[] {pid, epochs.advance()});
    }

    private void reclaimLimbo() {
        if (limbo.isEmpty()) {
            return;
        }
        long safe = epochs.safeEpoch();
        while (!limbo.isEmpty() && limbo.peekFirst()[1] < safe) {
            // The page keeps its slot until it is reused and written again: a cursor holding its id
            // across calls may still read it, see it changed, and move on (as with any reused page).
            pushFree(limbo.pollFirst()[0]);
        }
    }

    private void pushFree(long pid) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = pid;
    }

    /** What {@link #capture} took: the state to make durable. */
    public record Image(long generation, Superblock superblock, List<long[]> chunks) {}

    /**
     * The first step of a checkpoint, with writers stopped: takes every dirty page as it is now
     * (marks it; {@link #persist} writes it) and copies the page-table chunks that changed. Takes
     * microseconds per thousand dirty pages; readers run on.
     *
     * @param liveBytes key and value bytes of the tree's entries, or {@link Superblock#LIVE_BYTES_UNKNOWN}
     * @param checkpointLsn the log position the tree reflects now
     */
    public synchronized Image capture(long rootPage, int treeHeight, long keyCount, long liveBytes, long checkpointLsn) {
        long[] ids = new long[freeCount + limbo.size()];
        System.arraycopy(free, 0, ids, 0, freeCount);
        int n = freeCount;
        for (long[] l : limbo) {
            ids[n++] = l[0];
        }
        BitSet freeSet = new BitSet((int) Math.min(Integer.MAX_VALUE, pidCount));
        for (int i = 0; i < n; i++) {
            freeSet.set((int) ids[i]);
        }
        long sequence = nextSequence++;
        long generation = table.generation();
        long[] captured = pool.capture(generation, freeSet);
        List<long[]> chunks = table.snapshot(pidCount, ids, n, captured);
        Superblock sb = new Superblock(pageSize, sequence, checkpointLsn, rootPage, treeHeight, keyCount, maxKeySize,
                pidCount, 0, 0, (int) ((pidCount + table.chunkEntries() - 1) / table.chunkEntries()), liveBytes);
        return new Image(generation, sb, chunks);
    }

    /**
     * The second step, writers running: writes the captured pages, then the changed table chunks
     * and the directory, syncs, runs {@code beforeSuperblock} (the log's sync), writes the
     * superblock copy of this sequence, syncs; then the slots the image no longer needs are free.
     * Calls are serialized by the caller, in capture order. If it fails, the image is dropped and
     * the next checkpoint writes what it would have.
     */
    public void persist(Image image, IoStep beforeSuperblock) throws IOException {
        try {
            for (Map.Entry<Long, Long> e : pool.writeCaptured().entrySet()) {
                table.patch(image.chunks(), e.getKey(), e.getValue());
            }
            long generation = image.generation();
            long head = store.write(image.chunks(), image.superblock().pidCount(), generation);
            io.sync();
            beforeSuperblock.run();
            Superblock sb = image.superblock().placed(table.slotCount(), head);
            MemorySegment page = pool.scratch().acquire(1);
            try {
                sb.encode(page);
                io.write(sb.fileOffset(), page);
            } finally {
                pool.scratch().release(page);
            }
            io.sync();
            // The previous image stays whole until this one's successor is durable: if this
            // superblock copy is ever damaged, the other copy still opens.
            table.durable(generation - 1);
            synchronized (this) {
                loaded = sb;
            }
        } catch (IOException | RuntimeException e) {
            // Its chunks count as changed again, so the next image rewrites them whole.
            table.unsnapshot(image.chunks());
            synchronized (this) {
                nextSequence = image.superblock().sequence();
            }
            throw e;
        }
    }

    /** As {@link #persist(Image, IoStep)} with nothing to do before the superblock. */
    public void persist(Image image) throws IOException {
        persist(image, () -> { });
    }

    /** A step that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoStep {
        void run() throws IOException;
    }

    @Override
    public void close() throws IOException {
        try {
            pool.close();
            table.closeTail(io);
        } finally {
            try {
                table.close();
            } finally {
                io.close();
            }
        }
    }
}
