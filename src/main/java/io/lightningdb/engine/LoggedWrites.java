package io.lightningdb.engine;

import io.lightningdb.store.OrderedStore;
import io.lightningdb.txn.Mvcc;
import io.lightningdb.wal.Wal;
import io.lightningdb.wal.WalConfig;
import io.lightningdb.wal.WalFailedException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write path: each write is appended to the log and applied to the tree under one lock (so
 * the log's order is the tree's), then waited on for durability outside it. A write the tree
 * refuses is taken back in the log; a failed log sync makes the handle refuse writes for good
 * (PostgreSQL's lesson: after a failed fsync nothing written since can be trusted to be durable).
 */
public final class LoggedWrites {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.engine");

    private final Path dir;
    private final long maxPayload;
    private final long walSegmentSize;
    private final OrderedStore tree;
    private final Wal wal;
    private final ReentrantLock writeLock;
    private final Checkpointer checkpointer;
    private final AtomicLong batchSeq;
    private final Mvcc mvcc;
    /** Why writes are refused for good (the log could not be synced), or null. */
    private volatile String writesRefused;

    LoggedWrites(Path dir, WalConfig walConfig, OrderedStore tree, Wal wal, ReentrantLock writeLock,
            Checkpointer checkpointer, AtomicLong batchSeq, Mvcc mvcc) {
        this.dir = dir;
        this.maxPayload = walConfig.maxPayload();
        this.walSegmentSize = walConfig.segmentSize();
        this.tree = tree;
        this.wal = wal;
        this.writeLock = writeLock;
        this.checkpointer = checkpointer;
        this.batchSeq = batchSeq;
        this.mvcc = mvcc;
    }

    public boolean refused() {
        return writesRefused != null;
    }

    /** A change of the tree that may fail with an I/O error, stamped {@code stamp} for snapshots. */
    @FunctionalInterface
    public interface TreeWrite {
        void apply(long stamp) throws IOException;
    }

    /**
     * Logs one write and applies it, under the write lock so that the log's order is the order the
     * tree saw. Returns the record's end LSN for {@link #durable}. If the tree refuses the write
     * (a full database), an ABORT record takes the logged one back before the error is thrown.
     * The caller is inside an epoch (the face's guard).
     */
    long logged(byte type, MemorySegment a, MemorySegment b, TreeWrite write) throws IOException {
        return logged(type, a, b, null, write);
    }

    /**
     * {@link #logged(byte, MemorySegment, MemorySegment, TreeWrite)} after {@code check} passed
     * under the write lock (a transaction's validation: nothing is logged when it throws).
     */
    long logged(byte type, MemorySegment a, MemorySegment b, Runnable check, TreeWrite write) throws IOException {
        writeLock.lock();
        try {
            checkWritable();
            if (check != null) {
                check.run();
            }
            long start = wal.endLsn();
            long end;
            try {
                end = wal.append(type, a, b);
            } catch (IOException e) {
                throw failedLog(e);
            }
            long stamp = mvcc.openWrite();
            try {
                write.apply(stamp);
            } catch (IOException | RuntimeException e) {
                abort(start, e);
                throw e;
            } finally {
                mvcc.publish(stamp);
            }
            return end;
        } finally {
            writeLock.unlock();
            mvcc.afterWrite();
        }
    }

    /**
     * Under the write lock, before {@code key} changes in the write stamped {@code stamp}: saves
     * its value for open snapshots (when there are any; otherwise nothing is read).
     */
    void rememberOld(long stamp, MemorySegment key) throws IOException {
        if (mvcc.keeping()) {
            byte[] k = key.toArray(ValueLayout.JAVA_BYTE);
            mvcc.remember(stamp, k, Engine.read(tree, k));
        }
    }

    private void abort(long start, Exception cause) {
        try {
            MemorySegment lsn = MemorySegment.ofArray(new long[] {start});
            long end = wal.append(LogRecords.ABORT, lsn, null);
            wal.awaitDurable(end);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e);
            refuseWrites("a failed write could not be taken back in the log (" + e.getMessage() + ")");
        }
    }

    /** Waits until the record ending at {@code end} is as durable as the sync mode promises. */
    void durable(long end) throws IOException {
        try {
            wal.awaitDurable(end);
        } catch (IOException e) {
            throw failedLog(e);
        }
        checkpointer.afterWrite();
    }

    /** A failed log write or sync, returned to be thrown: after a failed sync the handle refuses writes for good. */
    IOException failedLog(IOException e) {
        if (e instanceof WalFailedException) {
            refuseWrites(e.getMessage());
        }
        return e;
    }

    private void refuseWrites(String why) {
        if (writesRefused == null) {
            writesRefused = why;
            LOG.log(Level.ERROR, "{0}: refusing writes from now on: {1}", dir, why);
        }
    }

    /** Throws when the handle refuses writes (a failed log sync: nothing can be promised durable). */
    private void checkWritable() throws WritesRefusedException {
        String why = writesRefused;
        if (why != null) {
            throw new WritesRefusedException(dir + ": writes are refused since the log failed: " + why
                    + "; reads still work; reopen the database to recover");
        }
    }

    /** A write is one log record, which must fit in one log segment. */
    public void checkRecordSize(long bytes, String what) {
        long max = maxPayload;
        if (bytes > max) {
            throw new IllegalArgumentException(what + " of " + bytes + " bytes exceed the log record limit of " + max
                    + " bytes (walSegmentSize " + walSegmentSize + " minus headers); raise walSegmentSize");
        }
    }

    // ---------------------------------------------------------------- many keys

    /** Applies {@code batch} (write {@code stamp}), saving old values for open snapshots; undoes all on failure. */
    void applyBatch(List<byte[]> keys, List<byte[]> values, long stamp) throws IOException {
        int n = keys.size();
        byte[][] before = new byte[n][];
        int applied = 0;
        batchSeq.incrementAndGet();
        try {
            for (; applied < n; applied++) {
                byte[] k = keys.get(applied);
                before[applied] = Engine.read(tree, k);
                if (mvcc.keeping()) {
                    mvcc.remember(stamp, k, before[applied]);
                }
                byte[] v = values.get(applied);
                if (v == null) {
                    tree.delete(MemorySegment.ofArray(k));
                } else {
                    tree.put(MemorySegment.ofArray(k), MemorySegment.ofArray(v));
                }
            }
        } catch (IOException | RuntimeException e) {
            undo(keys, before, applied, e);
            throw e;
        } finally {
            batchSeq.incrementAndGet();
        }
    }

    private void undo(List<byte[]> keys, byte[][] before, int applied, Exception cause) {
        for (int i = applied - 1; i >= 0; i--) {
            try {
                MemorySegment k = MemorySegment.ofArray(keys.get(i));
                if (before[i] == null) {
                    tree.delete(k);
                } else {
                    tree.put(k, MemorySegment.ofArray(before[i]));
                }
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }

}
