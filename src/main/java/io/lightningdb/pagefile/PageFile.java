package io.lightningdb.pagefile;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.cache.CacheConfig;
import io.lightningdb.io.IoConfig;
import io.lightningdb.io.PageIO;
import io.lightningdb.io.PageIOs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One database file: superblock, buffer pool, page allocation and free list.
 *
 * <p>Freed pages wait in limbo, tagged with the epoch of their release, until no reader that
 * entered before can still run ({@link Epochs}); then they are handed out again before the file
 * grows. At {@link #checkpoint} the free list is written as a chain of pages taken from the free
 * list itself, so keeping it costs no extra space.
 *
 * <pre>{@code
 * try (PageFile f = PageFile.create(path, 4096, 1024, IoConfig.defaults(), 1L << 20, 64L << 20)) {
 *     long pid = f.allocate();           // exclusively locked, zeroed
 *     f.pool().unlock(pid);
 *     f.checkpoint(pid, 1, 0);
 * }
 * }</pre>
 */
public final class PageFile implements AutoCloseable {
    /** Free-list page: u64 next page id at this offset (0 = end of chain). */
    static final int FREELIST_NEXT_OFFSET = 8;
    /** Free-list page: u32 number of page ids that follow. */
    static final int FREELIST_COUNT_OFFSET = 16;
    /** Free-list page: the u64 page ids start here. */
    static final int FREELIST_IDS_OFFSET = 24;

    private final Path path;
    private final PageIO io;
    private final BufferPool pool;
    private final Epochs epochs = new Epochs();
    private final int pageSize;
    private final int maxKeySize;
    private long pageCount;
    private long[] free = new long[64];
    private int freeCount;
    /** Freed pages not yet safe to reuse: {pid, epoch} pairs in release order. */
    private final ArrayDeque<long[]> limbo = new ArrayDeque<>();
    private Superblock loaded;

    private PageFile(Path path, PageIO io, BufferPool pool, int pageSize, int maxKeySize) {
        this.path = path;
        this.io = io;
        this.pool = pool;
        this.pageSize = pageSize;
        this.maxKeySize = maxKeySize;
    }

    /** Creates a new file (refusing to overwrite one) with page 0 reserved for the superblock. */
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
        PageFile f = openWith(path, pageSize, maxKeySize, ioConfig, maxPages, cacheBytes, cache);
        f.pageCount = 1;
        return f;
    }

    /** Opens an existing file: reads and checks the superblock, then the free list. */
    public static PageFile open(Path path, IoConfig ioConfig, long maxPages, long cacheBytes) throws IOException {
        return open(path, ioConfig, maxPages, cacheBytes, CacheConfig.defaults());
    }

    /** As {@link #open(Path, IoConfig, long, long)}, with the cache's replacement policy. */
    public static PageFile open(Path path, IoConfig ioConfig, long maxPages, long cacheBytes, CacheConfig cache)
            throws IOException {
        Superblock sb = Superblock.read(path);
        if (sb.pageCount() > maxPages) {
            throw new CorruptFileException(path, Superblock.PAGE_COUNT_OFFSET, "the file has " + sb.pageCount()
                    + " pages, more than maxDatabaseSize allows (" + maxPages + " pages)");
        }
        PageFile f = openWith(path, sb.pageSize(), sb.maxKeySize(), ioConfig, maxPages, cacheBytes, cache);
        try {
            long size = f.io.size();
            if (size < sb.pageCount() * sb.pageSize()) {
                throw new CorruptFileException(path, size, "truncated: the superblock says " + sb.pageCount()
                        + " pages of " + sb.pageSize() + " bytes, the file has " + size + " bytes");
            }
            f.pageCount = sb.pageCount();
            f.loaded = sb;
            f.loadFreeList(sb.freeListHead());
        } catch (IOException | RuntimeException e) {
            f.close();
            throw e;
        }
        return f;
    }

    private static PageFile openWith(Path path, int pageSize, int maxKeySize, IoConfig ioConfig, long maxPages,
            long cacheBytes, CacheConfig cache) throws IOException {
        PageIO io = PageIOs.open(path, pageSize, ioConfig);
        try {
            BufferPool pool = new BufferPool(io, pageSize, maxPages, cacheBytes, cache);
            return new PageFile(path, io, pool, pageSize, maxKeySize);
        } catch (IOException | RuntimeException e) {
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

    /** Pages in the file (high-water mark, free pages included). */
    public synchronized long pageCount() {
        return pageCount;
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
                if (pageCount >= pool.maxPages()) {
                    throw new DatabaseFullException(path, pool.maxPages() * pageSize);
                }
                pid = pageCount++;
            }
        }
        pool.lockNew(pid);
        return pid;
    }

    /** Releases a page; it is reused once no reader that might still see it is running. */
    public synchronized void free(long pid) {
        if (pid <= 0 || pid >= pageCount) {
            throw new IllegalArgumentException("page id " + pid + " is not an allocated page (file has " + pageCount + ")");
        }
        limbo.addLast(new long[] {pid, epochs.advance()});
    }

    private void reclaimLimbo() {
        if (limbo.isEmpty()) {
            return;
        }
        long safe = epochs.safeEpoch();
        while (!limbo.isEmpty() && limbo.peekFirst()[1] < safe) {
            pushFree(limbo.pollFirst()[0]);
        }
    }

    private void pushFree(long pid) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = pid;
    }

    private void loadFreeList(long head) throws IOException {
        int perPage = (pageSize - FREELIST_IDS_OFFSET) / Long.BYTES;
        long seen = 0;
        for (long pid = head; pid != 0; ) {
            if (pid < 1 || pid >= pageCount || ++seen > pageCount) {
                throw new CorruptFileException(path, pid * pageSize, "free-list chain points at page " + pid
                        + " (file has " + pageCount + " pages) or loops");
            }
            pool.lock(pid);
            long next;
            try {
                MemorySegment p = pool.page(pid);
                if (p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET) != PageTypes.FREELIST) {
                    throw new CorruptFileException(path, pid * pageSize, "page " + pid + " should be a free-list page");
                }
                int n = p.get(ValueLayout.JAVA_INT_UNALIGNED, FREELIST_COUNT_OFFSET);
                if (n < 0 || n > perPage) {
                    throw new CorruptFileException(path, pid * pageSize + FREELIST_COUNT_OFFSET,
                            "free-list page holds " + n + " ids, at most " + perPage + " fit");
                }
                for (int i = 0; i < n; i++) {
                    pushFree(p.get(ValueLayout.JAVA_LONG_UNALIGNED, FREELIST_IDS_OFFSET + (long) i * Long.BYTES));
                }
                pushFree(pid);
                next = p.get(ValueLayout.JAVA_LONG_UNALIGNED, FREELIST_NEXT_OFFSET);
            } finally {
                pool.unlockUnchanged(pid);
            }
            pid = next;
        }
    }

    /**
     * Makes the file whole on disk: every dirty page written, the free list written, then the
     * superblock, with an fdatasync after each step. Call with no writer active.
     */
    public synchronized void checkpoint(long rootPage, int treeHeight, long keyCount) throws IOException {
        while (!limbo.isEmpty()) {
            pushFree(limbo.pollFirst()[0]);
        }
        long head = writeFreeList();
        pool.flush();
        io.sync();
        Superblock sb = new Superblock(pageSize, pageCount, rootPage, treeHeight, head, keyCount, maxKeySize);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(pageSize, 4096);
            sb.encode(page);
            io.write(0, page);
        }
        io.sync();
        // The chain's pages are free again in memory; the next checkpoint rewrites the chain.
    }

    /** Writes the free pages into a chain made of some of them; returns its head (0 if none). */
    private long writeFreeList() throws IOException {
        int perPage = (pageSize - FREELIST_IDS_OFFSET) / Long.BYTES;
        long head = 0;
        int remaining = freeCount;
        long[] ids = Arrays.copyOf(free, freeCount);
        int end = remaining;
        while (end > 0) {
            long chainPid = ids[--end];
            int n = Math.min(perPage, end);
            pool.lockNew(chainPid);
            MemorySegment p = pool.page(chainPid);
            p.set(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET, PageTypes.FREELIST);
            p.set(ValueLayout.JAVA_LONG_UNALIGNED, FREELIST_NEXT_OFFSET, head);
            p.set(ValueLayout.JAVA_INT_UNALIGNED, FREELIST_COUNT_OFFSET, n);
            for (int i = 0; i < n; i++) {
                p.set(ValueLayout.JAVA_LONG_UNALIGNED, FREELIST_IDS_OFFSET + (long) i * Long.BYTES, ids[end - 1 - i]);
            }
            end -= n;
            pool.unlock(chainPid);
            head = chainPid;
        }
        return head;
    }

    @Override
    public void close() throws IOException {
        try {
            pool.close();
        } finally {
            io.close();
        }
    }
}
