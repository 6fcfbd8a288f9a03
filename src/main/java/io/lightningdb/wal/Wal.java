package io.lightningdb.wal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write-ahead log writer: appends records to an in-memory buffer and makes them durable in
 * groups (one write and one fdatasync for every commit waiting at the time). See the package
 * documentation for the group commit rules of each {@link SyncMode}.
 *
 * <p>Any number of threads may append at once (the copy into the buffer takes a short lock) and
 * wait at once. The engine's writers do both side by side: each appends and applies its write
 * while holding the locks of its keys (so that for any one key the log's order is the tree's, as
 * replay needs), then waits for durability after releasing them, so that one sync covers every
 * writer that appended meanwhile:
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="append"}
 */
public final class Wal implements AutoCloseable {
    /** Appends wait (or flush themselves) once this many bytes are pending, so memory stays bounded. */
    static final long BUFFER_LIMIT = 4L << 20;
    /** ASYNC flushes before its interval once this many bytes are pending. */
    static final long ASYNC_EARLY_FLUSH = BUFFER_LIMIT / 2;
    private static final long INITIAL_BUFFER = 256L << 10;

    private final WalConfig config;
    private final Segments segments;
    private final ReentrantLock lock = new ReentrantLock();
    /** A flush finished: durableLsn moved, or the WAL failed. */
    private final Condition flushDone = lock.newCondition();
    /** BATCH: a committer arrived or the batch filled while a leader holds its group open. */
    private final Condition groupGrew = lock.newCondition();
    private final Condition asyncWake = lock.newCondition();
    private final Thread asyncFlusher;

    private RecordBuffer buffer;
    private RecordBuffer spareBuffer;
    private volatile long endLsn;
    private volatile long durableLsn;
    private volatile WalFailedException failure;
    private boolean flushing;
    private boolean leaderWaiting;
    private boolean closed;
    /** Threads inside awaitDurable whose record is not durable yet. */
    private int committers;
    /** The most committers at once since the last flush began: how many a BATCH leader expects. */
    private int peakCommitters;
    /** Moving average of how long a flush (write + fdatasync) takes; a BATCH leader holds a group a quarter of it at most. */
    private long flushNanosAverage;

    private long appends;
    private long syncs;
    private long bytesWritten;
    private int groupCommitMax;
    private long batchWaits;

    private Wal(WalConfig config, Segments segments, long startLsn, ThreadFactory threads) {
        this.config = config;
        this.segments = segments;
        this.endLsn = startLsn;
        this.durableLsn = startLsn;
        this.buffer = new RecordBuffer(INITIAL_BUFFER);
        this.spareBuffer = new RecordBuffer(INITIAL_BUFFER);
        buffer.reset(startLsn, BUFFER_LIMIT);
        if (config.syncMode() == SyncMode.ASYNC) {
            asyncFlusher = named(threads, "lightning-wal-flusher", this::asyncLoop);
            asyncFlusher.start();
        } else {
            asyncFlusher = null;
        }
    }

    /**
     * Opens the log in {@code dir} (created if absent) for appending at {@code startLsn}, the
     * {@link WalRecovery#endLsn()} of the last read (any LSN for an empty directory). Segments
     * starting at or after {@code startLsn} are dropped and appending starts in a new segment at
     * {@code startLsn}, so bytes past a cut tail can never be read back as records.
     */
    public static Wal open(Path dir, WalConfig config, long startLsn) throws IOException {
        return open(dir, config, startLsn, OWN_THREADS);
    }

    /** As {@link #open(Path, WalConfig, long)}, its background threads (flusher, preallocator) from {@code threads}. */
    public static Wal open(Path dir, WalConfig config, long startLsn, ThreadFactory threads) throws IOException {
        return open(dir, config, startLsn, WalFileOps.DEFAULT, threads);
    }

    static Wal open(Path dir, WalConfig config, long startLsn, WalFileOps ops) throws IOException {
        return open(dir, config, startLsn, ops, OWN_THREADS);
    }

    /** Platform daemon threads, for a log opened without an engine's thread pool (tools, tests). */
    private static final ThreadFactory OWN_THREADS = Thread.ofPlatform().daemon().factory();

    /** A thread of {@code threads} running {@code body}, named for what it does. */
    static Thread named(ThreadFactory threads, String name, Runnable body) {
        Thread t = threads.newThread(body);
        t.setName(name);
        return t;
    }

    private static Wal open(Path dir, WalConfig config, long startLsn, WalFileOps ops, ThreadFactory threads)
            throws IOException {
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(config, "config");
        if (startLsn < 0) {
            throw new IllegalArgumentException("startLsn must be >= 0, got " + startLsn);
        }
        return new Wal(config, Segments.open(dir, config.segmentSize(), ops, startLsn, threads), startLsn, threads);
    }

    /**
     * Appends one record of {@code type} (1..127) with payload {@code a} then {@code b} ({@code b}
     * may be null) and returns its end LSN, to pass to {@link #awaitDurable}. All or nothing: if it
     * throws (no space for the next segment, say) nothing was appended. Thread-safe.
     *
     * @throws IllegalArgumentException if the type is out of range or the record is larger than a
     *     segment holds ({@link WalConfig#maxPayload()})
     */
    public long append(byte type, MemorySegment a, MemorySegment b) throws IOException {
        Objects.requireNonNull(a, "a");
        if (type < WalFormat.MIN_TYPE) {
            throw new IllegalArgumentException("record type must be in [" + WalFormat.MIN_TYPE + ", "
                    + WalFormat.MAX_TYPE + "], got " + type);
        }
        long payload = a.byteSize() + (b == null ? 0 : b.byteSize());
        if (payload > config.maxPayload()) {
            throw new IllegalArgumentException("WAL record payload of " + payload + " bytes exceeds the limit of "
                    + config.maxPayload() + " bytes: segmentSize " + config.segmentSize() + " minus the "
                    + WalFormat.SEGMENT_HEADER_SIZE + "-byte segment header and " + WalFormat.RECORD_OVERHEAD
                    + " bytes of record header; raise WalConfig.segmentSize (at most "
                    + WalConfig.MAX_SEGMENT_SIZE + ")");
        }
        long size = WalFormat.RECORD_OVERHEAD + payload;
        lock.lock();
        try {
            checkUsable();
            while (buffer.length() > 0 && buffer.length() + size > BUFFER_LIMIT) {
                if (flushing) {
                    flushDone.awaitUninterruptibly();
                } else {
                    leadFlush(false);
                }
                checkUsable();
            }
            long lsn = endLsn;
            if (lsn + size > segments.current().capacityEnd()) {
                segments.activate(lsn, size);
            }
            buffer.append(lsn, type, a, b);
            endLsn = lsn + size;
            segments.afterAppend(endLsn);
            appends++;
            if (leaderWaiting && buffer.records() >= config.writeBatchSize()) {
                groupGrew.signal();
            }
            if (asyncFlusher != null && buffer.length() >= ASYNC_EARLY_FLUSH) {
                asyncWake.signal();
            }
            return lsn + size;
        } finally {
            lock.unlock();
        }
    }

    /**
     * SYNC and BATCH: returns once every record ending at or before {@code lsn} is written and
     * fdatasynced (this thread may do the sync for the whole group). ASYNC: returns at once.
     *
     * @throws WalFailedException if a write or sync of the log failed, now or before
     */
    public void awaitDurable(long lsn) throws IOException {
        checkFailed();
        if (config.syncMode() == SyncMode.ASYNC || lsn <= durableLsn) {
            return;
        }
        waitDurable(lsn, true);
    }

    /** Makes everything appended so far durable now, in any mode. */
    public void sync() throws IOException {
        checkFailed();
        waitDurable(endLsn, false);
    }

    /** The LSN the next record gets (just past the last one appended). */
    public long endLsn() {
        return endLsn;
    }

    /** Every record ending at or before this LSN is on stable storage. */
    public long durableLsn() {
        return durableLsn;
    }

    /**
     * Retires (recycles as the next spare, or deletes) the segments whose records all end at or
     * before {@code lsn}; never records that are not durable yet, never the current segment.
     */
    public void truncateBefore(long lsn) throws IOException {
        lock.lock();
        try {
            checkUsable();
            segments.truncateBefore(Math.min(lsn, durableLsn));
        } finally {
            lock.unlock();
        }
    }

    /** Log bytes appended from {@code lsn} to the end (0 if {@code lsn} is at or past the end). */
    public long bytesSince(long lsn) {
        return Math.max(0, endLsn - lsn);
    }

    public WalStats stats() {
        lock.lock();
        try {
            return new WalStats(appends, syncs, bytesWritten, segments.liveCount(), groupCommitMax, batchWaits,
                    segments.sparesCreated(), segments.sparesRecycled(), endLsn, durableLsn, segments.diskBytes());
        } finally {
            lock.unlock();
        }
    }

    /** The LSN the data file holds every record before; -1 until {@link #checkpointedThrough} says. */
    private volatile long checkpointedThrough = -1;

    /**
     * Tells the log that the data file is durable as of {@code lsn} (a checkpoint's): if that is
     * the log's end when it closes, the close leaves one empty segment there instead of records
     * no open will read (docs/wal-format.md).
     */
    public void checkpointedThrough(long lsn) {
        checkpointedThrough = lsn;
    }

    /**
     * Syncs what was appended and stops the background threads; later calls throw
     * IllegalStateException. At a clean close the last segment is cut after its end mark, or,
     * when {@link #checkpointedThrough} is the end, replaced by an empty one.
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            try {
                while (failure == null && durableLsn < endLsn) {
                    if (flushing) {
                        flushDone.awaitUninterruptibly();
                    } else {
                        leadFlush(false);
                    }
                }
            } finally {
                closed = true;
                asyncWake.signalAll();
                flushDone.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (asyncFlusher != null) {
            try {
                asyncFlusher.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure == null && durableLsn == endLsn) {
            try {
                if (checkpointedThrough == endLsn) {
                    segments.replaceWithEmpty(endLsn);
                } else {
                    segments.trimCurrent(endLsn);
                }
            } catch (IOException e) {
                // only disk not given back: the records a reader from the checkpoint needs are whole and synced
            }
        }
        segments.close();
        buffer.close();
        spareBuffer.close();
        checkFailed();
    }

    private void waitDurable(long lsn, boolean commit) throws IOException {
        lock.lock();
        try {
            checkUsable();
            if (lsn > endLsn) {
                throw new IllegalArgumentException("lsn " + lsn + " is past the end of the log (" + endLsn + ")");
            }
            if (commit) {
                committers++;
                peakCommitters = Math.max(peakCommitters, committers);
                if (leaderWaiting) {
                    groupGrew.signal();
                }
            }
            try {
                while (durableLsn < lsn) {
                    if (flushing) {
                        flushDone.awaitUninterruptibly();
                    } else {
                        leadFlush(commit && config.syncMode() == SyncMode.BATCH);
                    }
                    checkUsable();
                }
            } finally {
                if (commit) {
                    committers--;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Becomes the flush leader (lock held, no flush running): optionally holds the group open, then flushes. */
    private void leadFlush(boolean mayHold) {
        flushing = true;
        try {
            if (mayHold) {
                holdGroupOpen();
            }
            flushPending();
        } finally {
            flushing = false;
            flushDone.signalAll();
        }
    }

    /**
     * BATCH: waits, up to batchMaxWaitNanos, until as many committers are waiting as were waiting at
     * once during the previous group, or writeBatchSize records are pending, and no longer than
     * a quarter of what a flush has been taking. A lone committer (previous peak 1) never waits.
     */
    private void holdGroupOpen() {
        int expected = peakCommitters;
        if (expected <= 1 || config.batchMaxWaitNanos() == 0) {
            return;
        }
        long deadline = System.nanoTime() + Math.min(config.batchMaxWaitNanos(), flushNanosAverage / 4);
        leaderWaiting = true;
        batchWaits++;
        try {
            while (committers < expected && buffer.records() < config.writeBatchSize()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                groupGrew.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            leaderWaiting = false;
        }
    }

    /**
     * Writes and syncs every pending record (lock held on entry and exit, released for the I/O),
     * then publishes durableLsn; a failure fails the WAL for good instead.
     */
    private void flushPending() {
        RecordBuffer out = buffer;
        if (out.length() == 0 || failure != null) {
            return;
        }
        long from = out.startLsn();
        long to = endLsn;
        buffer = spareBuffer;
        spareBuffer = null;
        buffer.reset(to, BUFFER_LIMIT);
        List<Segments.Slice> slices = segments.slices(from, to);
        boolean syncDir = segments.takeDirDirty();
        peakCommitters = committers;
        Segments.Segment last = slices.getLast().segment();
        long written = out.length();
        int records = out.records();
        String failedOp = null;
        Path failedFile = last.path;
        IOException error = null;
        long t0 = System.nanoTime();
        lock.unlock();
        try {
            boolean endMark = last.capacityEnd() - to >= WalFormat.RECORD_HEADER_SIZE;
            if (endMark) {
                out.writeEndMark(to);
            }
            failedOp = "write";
            for (int i = 0; i < slices.size(); i++) {
                Segments.Slice s = slices.get(i);
                long n = s.length() + (endMark && i == slices.size() - 1 ? WalFormat.RECORD_HEADER_SIZE : 0);
                failedFile = s.segment().path;
                s.segment().file.write(out.memory().asSlice(s.bufferOffset(), n), s.fileOffset());
            }
            failedOp = "fdatasync";
            for (Segments.Slice s : slices) {
                failedFile = s.segment().path;
                s.segment().file.force();
            }
            if (syncDir) {
                failedFile = failedFile.getParent();
                segments.syncDir();
            }
        } catch (IOException | RuntimeException e) {
            error = e instanceof IOException io ? io : new IOException(e);
        } finally {
            lock.lock();
        }
        out.reset(to, BUFFER_LIMIT);
        spareBuffer = out;
        if (error != null) {
            failure = new WalFailedException("WAL " + failedOp + " of " + failedFile + " failed (" + error.getMessage()
                    + "); the write-ahead log is failed for good, since a failed fsync is never retried (the kernel may"
                    + " have dropped the unwritten pages): reopen the database to recover from what is on disk", error);
            return;
        }
        durableLsn = to;
        long took = System.nanoTime() - t0;
        flushNanosAverage = flushNanosAverage == 0 ? took : flushNanosAverage + (took - flushNanosAverage) / 8;
        syncs++;
        bytesWritten += written;
        groupCommitMax = Math.max(groupCommitMax, records);
        try {
            segments.closeDurable(to);
        } catch (IOException e) {
            // closing a read-only-from-now-on descriptor cannot lose data; the records are durable
        }
    }

    /** ASYNC: writes and syncs every flushIntervalNanos, or sooner when much is pending. */
    private void asyncLoop() {
        lock.lock();
        try {
            long next = System.nanoTime() + config.flushIntervalNanos();
            while (!closed && failure == null) {
                long left = next - System.nanoTime();
                if (flushing) {
                    flushDone.awaitUninterruptibly();
                } else if (left > 0 && buffer.length() < ASYNC_EARLY_FLUSH) {
                    asyncWake.awaitNanos(left);
                } else {
                    next = System.nanoTime() + config.flushIntervalNanos();
                    leadFlush(false);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void checkUsable() throws WalFailedException {
        if (closed) {
            throw new IllegalStateException("WAL is closed");
        }
        checkFailed();
    }

    private void checkFailed() throws WalFailedException {
        WalFailedException f = failure;
        if (f != null) {
            throw new WalFailedException(f.getMessage(), f);
        }
    }
}
