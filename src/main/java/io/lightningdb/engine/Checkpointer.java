package io.lightningdb.engine;

import io.lightningdb.pagefile.PageFile;
import io.lightningdb.store.OrderedStore;
import io.lightningdb.wal.Wal;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checkpoints: make the store durable as of a log position, so the log before it can go. The
 * steps are the store's ({@link OrderedStore}); for the B-link tree:
 *
 * <ol>
 *   <li>{@code writeBack}: write the dirty pages while writers run (most of the work, no stall).
 *   <li>{@code capture}: stop writers ({@link WriterGate#enterExclusive}), note the log's end, mark the
 *       pages dirtied meanwhile as the image's and copy the changed page-table chunks
 *       ({@link PageFile#capture}). Writers stall only for this step (no I/O in it); readers never.
 *   <li>{@code persist}: writers run again (a writer copies a marked page aside before changing
 *       it): write the marked pages, the table pages, sync, sync the log to that position, write
 *       the superblock copy, sync ({@link PageFile#persist}); then drop the log segments before the
 *       previous checkpoint (kept so that the other superblock copy can still be recovered from).
 * </ol>
 *
 * A thread of the engine's pool runs one when the log since the last one passes {@code maxWalSize},
 * then asks {@link AutoCompaction} whether the file should be compacted; and, when the database
 * has been quiet for a while, checkpoints what the log holds and asks again ({@link #idleTick}).
 */
final class Checkpointer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.engine");

    private final PageFile file;
    private final OrderedStore store;
    private final Wal wal;
    private final WriterGate gate;
    private final long maxWalSize;
    private final Object oneAtATime = new Object();
    private final Thread thread;
    private volatile boolean requested;
    private volatile boolean stopping;
    /** Log position of the newest durable image (the log is kept from the one before it). */
    private volatile long lastLsn;
    private final AtomicLong count = new AtomicLong();
    private volatile long lastStallNanos;
    private volatile long maxStallNanos;
    private volatile long lastDurationNanos;
    /** Run after each background checkpoint; null until the engine has built it. */
    private volatile AutoCompaction autoCompaction;
    /** Refreshes the warm restart's list after background checkpoints; null until the engine has built it. */
    private volatile CacheWarmer warmer;

    Checkpointer(String name, PageFile file, OrderedStore store, Wal wal, WriterGate gate, long maxWalSize, long checkpointLsn,
            ThreadFactory threads) {
        this.file = file;
        this.store = store;
        this.wal = wal;
        this.gate = gate;
        this.maxWalSize = maxWalSize;
        this.lastLsn = checkpointLsn;
        this.thread = threads.newThread(this::loop);
        thread.setName("lightning-checkpoint " + name);
        thread.start();
    }

    /** How often a quiet database is looked at ({@link #idleTick}). */
    static final long IDLE_TICK_NANOS = 5_000_000_000L;
    /** The log's end at the last idle tick; the checkpoint thread's own. */
    private long endAtTick = -1;
    /** Nothing left to do until the next write; the checkpoint thread's own. */
    private boolean settled;

    /** After a failed checkpoint (a full disk, say), the next try waits this long. */
    private static final long RETRY_NANOS = 1_000_000_000L;
    private volatile long retryAfter;

    /** Has the thread consider a background compaction after each of its checkpoints. */
    void compactWith(AutoCompaction auto) {
        this.autoCompaction = auto;
    }

    /** Has the thread refresh the warm restart's page list after its checkpoints (at most once a minute). */
    void dumpCacheWith(CacheWarmer warmer) {
        this.warmer = warmer;
    }

    /** Called after a write: wakes the thread when the log since the last checkpoint is too long. */
    void afterWrite() {
        if (!requested && wal.bytesSince(lastLsn) > maxWalSize && System.nanoTime() - retryAfter >= 0) {
            requested = true;
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void loop() {
        while (!stopping) {
            boolean due;
            synchronized (this) {
                long deadline = System.nanoTime() + IDLE_TICK_NANOS;
                long left;
                while (!requested && !stopping && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        wait(Math.max(1, left / 1_000_000));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                due = requested;
            }
            if (stopping) {
                return;
            }
            if (due) {
                boolean done = runCheckpoint();
                requested = false;
                if (done) {
                    afterBackgroundCheckpoint();
                }
            } else {
                idleTick();
            }
        }
    }

    /** A checkpoint on this thread; false (logged, retried later) when it failed. */
    private boolean runCheckpoint() {
        try {
            checkpoint();
            return true;
        } catch (IOException | RuntimeException e) {
            retryAfter = System.nanoTime() + RETRY_NANOS;
            LOG.log(Level.ERROR, "checkpoint of " + file.path() + " failed; the log keeps every write", e);
            return false;
        }
    }

    /** The warm restart's list (at most once a minute) and the background compaction's question. */
    private boolean afterBackgroundCheckpoint() {
        CacheWarmer w = warmer;
        if (w != null && !stopping) {
            w.dumpIfDue();
        }
        AutoCompaction auto = autoCompaction;
        if (auto == null || stopping) {
            return false;
        }
        try {
            return auto.afterCheckpoint(() -> stopping);
        } catch (IOException | RuntimeException e) {
            retryAfter = System.nanoTime() + RETRY_NANOS;
            LOG.log(Level.ERROR, "background compaction of " + file.path() + " failed; moving pages is"
                    + " writing them, so the file and the log keep every write", e);
            return false;
        }
    }

    /**
     * Every {@link #IDLE_TICK_NANOS} without a checkpoint due: once a whole tick passed without a
     * write, the log since the last checkpoint is checkpointed (a crash from then on replays
     * nothing) and background compaction is asked, tick after tick while the quiet lasts, until a
     * tick neither checkpoints nor compacts. So the space a burst of writes left free (two images
     * of every page it dirtied, under copy-on-write) goes back a few ticks after the burst, not
     * only when the log next fills; a database that stays quiet costs nothing after that.
     */
    private void idleTick() {
        long end = wal.endLsn();
        boolean quiet = end == endAtTick;
        endAtTick = end;
        if (!quiet) {
            settled = false;
            return;
        }
        if (settled || System.nanoTime() - retryAfter < 0) {
            return;
        }
        boolean checkpointed = false;
        if (wal.bytesSince(lastLsn) > 0) {
            if (!runCheckpoint()) {
                return;
            }
            checkpointed = true;
        }
        boolean compacted = afterBackgroundCheckpoint();
        settled = !checkpointed && !compacted;
    }

    /** Runs a checkpoint now (after one in progress). */
    void checkpoint() throws IOException {
        synchronized (oneAtATime) {
            long start = System.nanoTime();
            // Free pages give their slots back now, so this image and the next need not hold them
            // (and a free page that is dirty is not written).
            file.forgetFreeSlots();
            // Most pages go out here, writers running; what they dirty meanwhile the capture takes
            // copy-on-write, so writers stall only for marking pages, not for writing them.
            store.writeBack();
            long lsn;
            OrderedStore.Checkpoint image;
            long stallStart = System.nanoTime();
            // Alone: every record before lsn is applied (a writer appends and applies inside the gate).
            gate.enterExclusive();
            try {
                lsn = wal.endLsn();
                image = store.capture(lsn);
            } finally {
                gate.exitExclusive();
            }
            long stall = System.nanoTime() - stallStart;
            store.persist(image, wal::sync);
            wal.truncateBefore(lastLsn);
            lastLsn = lsn;
            lastStallNanos = stall;
            maxStallNanos = Math.max(maxStallNanos, stall);
            lastDurationNanos = System.nanoTime() - start;
            count.incrementAndGet();
        }
    }

    /**
     * The checkpoints of a clean close: one of everything, then, if the log held writes from
     * before it, a second with nothing dirty (two syncs and a superblock). The second makes the
     * close's image the older of the two the superblock copies name, so the log before it goes
     * (only the previous image needed it) and so do the slots of the images before it: a closed
     * database takes its data's pages plus the free slots among them, not a log and an image more.
     */
    void checkpointAtClose() throws IOException {
        long before = lastLsn;
        checkpoint();
        if (lastLsn != before) {
            checkpoint();
        }
    }

    long count() {
        return count.get();
    }

    long lastStallNanos() {
        return lastStallNanos;
    }

    long maxStallNanos() {
        return maxStallNanos;
    }

    long lastDurationNanos() {
        return lastDurationNanos;
    }

    long lastCheckpointLsn() {
        return lastLsn;
    }

    /** Stops the thread, waiting for a checkpoint it is running. */
    @Override
    public void close() {
        stopping = true;
        synchronized (this) {
            notifyAll();
        }
        BackgroundThreads.joinUninterruptibly(thread);
    }
}
