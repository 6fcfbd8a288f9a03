package io.lightningdb.engine;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.Epochs;
import io.lightningdb.pagefile.PageFile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadFactory;

/**
 * The warm restart ({@code warmRestart}), as InnoDB's buffer pool dump and load: at close and
 * after each background checkpoint the ids of the pages in the cache go to {@link CacheDump},
 * hottest first; at open a background thread reads them back in that order, {@value #BATCH} at a
 * time through the buffer pool's batch load (all in flight at once with io_uring), so a restarted
 * database reaches its warm speed in the time the device takes to read its hot set instead of
 * one miss at a time.
 *
 * <p>It never delays {@code open} (the thread starts after it) and never takes a frame from the
 * application: it loads only into free frames and stops when the cache is full, so a page the
 * application asks for meanwhile is loaded as usual and a page already loaded is skipped. A list
 * that is missing is nothing to do; one that is damaged or not this database's is ignored with a
 * log line; ids past the file's pages are skipped. Close stops it after its batch in flight, before
 * any frame is freed; a list written before the loading is done keeps its unread rest after the
 * pages in the cache.
 */
final class CacheWarmer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.engine");
    /** Pages read at once: deep enough to keep an NVMe queue busy, small enough to stop promptly at close. */
    static final int BATCH = 64;

    private final Path dir;
    private final PageFile file;
    private final BufferPool pool;
    private final boolean enabled;
    /**
     * How often the checkpoint thread refreshes the list: a kill -9 then costs at most a minute of
     * the hot set's drift, and the list (8 bytes a cached page) is not rewritten at every checkpoint.
     */
    static final long DUMP_INTERVAL_NANOS = 60_000_000_000L;

    private Thread thread;
    /** When the checkpoint thread last wrote the list (0: not yet); only that thread reads and writes it. */
    private long lastDump;
    private volatile boolean stopping;
    private volatile long listed;
    private volatile long loaded;
    private volatile long nanos;
    private volatile boolean finished;
    /**
     * The list being loaded and how far the loading got: while it runs, and after a close stopped
     * it, the ids from {@link #next} on were not read yet. Null once the list is done or the
     * cache was full (what follows would not have fitted either).
     */
    private volatile long[] pending;
    private volatile int next;

    CacheWarmer(Path dir, PageFile file, boolean enabled) {
        this.dir = dir;
        this.file = file;
        this.pool = file.pool();
        this.enabled = enabled;
        this.finished = !enabled;
    }

    /** Starts loading the directory's list on a thread of {@code threads}; returns at once. No list, no thread. */
    void start(ThreadFactory threads) {
        if (!enabled || !Files.exists(dir.resolve(CacheDump.FILE_NAME))) {
            finished = true;
            return;
        }
        thread = threads.newThread(this::load);
        thread.setName("lightning-warm-restart");
        thread.start();
    }

    private void load() {
        long start = System.nanoTime();
        try {
            long[] ids = CacheDump.read(dir, file.pageSize(), (int) Math.min(Integer.MAX_VALUE - 8, pool.capacityPages()));
            listed = ids.length;
            pending = ids;
            long pages = file.pageCount();
            long[] batch = new long[BATCH];
            Epochs epochs = file.epochs();
            for (int i = 0; i < ids.length && !stopping; ) {
                long room = pool.capacityPages() - pool.residentPages();
                if (room <= 0) {
                    pending = null;
                    break; // the cache is full: the application's pages come first
                }
                int n = 0;
                while (n < Math.min(BATCH, room) && i < ids.length) {
                    long pid = ids[i++];
                    if (pid > 0 && pid < pages) {
                        batch[n++] = pid;
                    }
                }
                // As multiGet's loads: inside an epoch, so no page it reads is reused under it.
                Epochs.Slot slot = epochs.enter();
                try {
                    loaded += pool.prefetch(batch, n);
                } finally {
                    epochs.exit(slot);
                }
                next = i;
            }
            if (!stopping) {
                pending = null;
            }
            if (ids.length > 0) {
                LOG.log(Level.DEBUG, "{0}: warm restart loaded {1} of {2} listed pages in {3} ms", dir, loaded,
                        ids.length, (System.nanoTime() - start) / 1_000_000);
            }
        } catch (CacheDump.DamagedDumpException damaged) {
            LOG.log(Level.WARNING, "ignoring the warm restart''s page list: {0}", damaged.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "warm restart of " + dir + " stopped after " + loaded + " pages; the cache fills"
                    + " as pages are read", e);
        } finally {
            nanos = System.nanoTime() - start;
            finished = true;
        }
    }

    /**
     * Writes the list of the pages in the cache now, hottest first; a failure is logged, never
     * thrown (the list is a hint). Called at close (before the pool goes) and by the checkpoint
     * thread. With the warm restart off it deletes an earlier open's list instead, which would
     * otherwise outlive the pages it named.
     */
    void dump() {
        try {
            if (!enabled) {
                Files.deleteIfExists(dir.resolve(CacheDump.FILE_NAME));
                return;
            }
            long[] ids = withUnloaded(pool.residentByHeat(file.pageCount(), Integer.MAX_VALUE - 8));
            CacheDump.write(dir, file.pageSize(), ids, ids.length);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "could not write the warm restart''s page list in " + dir
                    + "; the next open starts with a cold cache", e);
        }
    }

    /**
     * {@code resident} followed by the listed pages the loading has not read yet (none resident),
     * up to the cache's size: a short open (a {@code lightning stats}, a process that exits early)
     * or a refresh while loading must not shrink the list to the few pages it saw.
     */
    private long[] withUnloaded(long[] resident) {
        long[] rest = pending;
        int from = next;
        long cap = pool.capacityPages();
        if (rest == null || from >= rest.length || resident.length >= cap) {
            return resident;
        }
        int n = resident.length;
        long[] out = Arrays.copyOf(resident, (int) Math.min(cap, (long) n + rest.length - from));
        long pages = file.pageCount();
        for (int i = from; i < rest.length && n < out.length; i++) {
            long pid = rest[i];
            if (pid > 0 && pid < pages && !pool.isResident(pid)) {
                out[n++] = pid;
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The checkpoint thread's refresh: the first after the open, then at most every {@link #DUMP_INTERVAL_NANOS}. */
    void dumpIfDue() {
        long now = System.nanoTime();
        if (lastDump != 0 && now - lastDump < DUMP_INTERVAL_NANOS) {
            return;
        }
        lastDump = now;
        dump();
    }

    /** Stops the loading after its batch in flight and waits for it: the pool may close after this. */
    @Override
    public void close() {
        stopping = true;
        if (thread != null) {
            BackgroundThreads.joinUninterruptibly(thread);
        }
    }

    /** How far the loading got. */
    WarmRestartFigures figures() {
        boolean done = finished;
        return new WarmRestartFigures(enabled, listed, loaded, done, done ? nanos : 0);
    }
}
