package io.lightningdb.engine;

import io.lightningdb.store.OrderedStore;
import io.lightningdb.txn.Mvcc;
import io.lightningdb.wal.Wal;
import io.lightningdb.wal.WalConfig;
import io.lightningdb.wal.WalFailedException;
import io.lightningdb.wal.WalFormat;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The write path: each write is appended to the log and applied to the tree, then waited on for
 * durability outside any lock. Plain writes (no snapshot open) run side by side, up to
 * {@code maxConcurrentWriters} at once ({@link WriterGate}), each holding the {@link KeyStripes}
 * of its keys from before its append until its tree change is done, so that for any one key the
 * log's order is the tree's; they meet on the tree only where they touch the same leaf. A
 * transaction's commit, a write while snapshots are open (it must keep the old value for them, in
 * stamp order) and a checkpoint's capture run alone. A write the tree refuses is taken back in
 * the log; a failed log sync makes the handle refuse writes for good (PostgreSQL's lesson: after
 * a failed fsync nothing written since can be trusted to be durable).
 */
public final class LoggedWrites {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.engine");

    private final Path dir;
    private final long maxPayload;
    private final long walSegmentSize;
    private final OrderedStore tree;
    private final Wal wal;
    private final WriterGate gate;
    private final KeyStripes stripes = new KeyStripes();
    private final Checkpointer checkpointer;
    private final MultiGet multiGet;
    private final Mvcc mvcc;
    private final LongAdder sideBySide = new LongAdder();
    private final LongAdder alone = new LongAdder();
    /** Why writes are refused for good (the log could not be synced), or null. */
    private volatile String writesRefused;

    LoggedWrites(Path dir, WalConfig walConfig, OrderedStore tree, Wal wal, WriterGate gate,
            Checkpointer checkpointer, MultiGet multiGet, Mvcc mvcc) {
        this.dir = dir;
        this.maxPayload = walConfig.maxPayload();
        this.walSegmentSize = walConfig.segmentSize();
        this.tree = tree;
        this.wal = wal;
        this.gate = gate;
        this.checkpointer = checkpointer;
        this.multiGet = multiGet;
        this.mvcc = mvcc;
    }

    /** Writes since open applied side by side with others, and alone. */
    WriterFigures figures() {
        return new WriterFigures(gate.maxShared(), gate.peakShared(), sideBySide.sum(), alone.sum());
    }

    public boolean refused() {
        return writesRefused != null;
    }

    /**
     * A change of the tree that may fail with an I/O error, stamped {@code stamp} for snapshots;
     * {@link #NO_STAMP} when no snapshot can see it (a plain write with none open).
     */
    @FunctionalInterface
    public interface TreeWrite {
        void apply(long stamp) throws IOException;
    }

    /** The stamp of a write no snapshot needs old versions from. */
    static final long NO_STAMP = 0;

    /** Each stripe as the set of one a single-key write holds, made once so a put allocates none. */
    private static final int[][] ONE_STRIPE = new int[KeyStripes.STRIPES][];

    static {
        for (int i = 0; i < KeyStripes.STRIPES; i++) {
            ONE_STRIPE[i] = new int[] {i};
        }
    }

    /**
     * Logs one write of {@code key} and applies it; returns the record's end LSN for
     * {@link #durable}. If the tree refuses the write (a full database), an ABORT record takes the
     * logged one back before the error is thrown. The caller is inside an epoch (the face's guard).
     */
    long logged(byte type, MemorySegment key, MemorySegment b, TreeWrite write) throws IOException {
        return logged(type, key, b, ONE_STRIPE[KeyStripes.of(key)], null, write);
    }

    /**
     * Logs a batch of {@code keys} (record {@code a}) and applies it; {@code check}, when not null,
     * runs first with every other writer out (a transaction's validation: nothing is logged when it
     * throws).
     */
    long loggedBatch(List<byte[]> keys, MemorySegment a, Runnable check, TreeWrite write) throws IOException {
        return logged(LogRecords.BATCH, a, null, check == null ? KeyStripes.of(keys) : null, check, write);
    }

    /**
     * Side by side under the stripes {@code held} (ascending) when no snapshot is open; alone when
     * one is, or when {@code held} is null (a write with a {@code check}).
     */
    private long logged(byte type, MemorySegment a, MemorySegment b, int[] held, Runnable check, TreeWrite write)
            throws IOException {
        if (held != null) {
            gate.enterShared();
            if (mvcc.openSnapshots() == 0) {
                // No snapshot can see this write half done: a snapshot that registers now waits for
                // the writers inside the gate (Mvcc's barrier) before it takes its stamp.
                stripes.lockAll(held);
                sideBySide.increment();
                try {
                    return appendAndApply(type, a, b, false, write);
                } finally {
                    stripes.unlockAll(held);
                    gate.exitShared();
                }
            }
            gate.exitShared();
        }
        return loggedAlone(type, a, b, check, write);
    }

    /** With every other writer out: the write is stamped, and keeps old versions when snapshots are open. */
    private long loggedAlone(byte type, MemorySegment a, MemorySegment b, Runnable check, TreeWrite write)
            throws IOException {
        gate.enterExclusive();
        alone.increment();
        try {
            checkWritable();
            if (check != null) {
                check.run();
            }
            return appendAndApply(type, a, b, true, write);
        } finally {
            gate.exitExclusive();
            mvcc.afterWrite();
        }
    }

    /**
     * Under the key's stripes or alone: appends, applies (stamped only when alone), and takes the
     * record back if the tree refused it. The stamp is taken after the append, so a snapshot that
     * waits for a write in flight ({@code CommitClock}) never waits for the log.
     */
    private long appendAndApply(byte type, MemorySegment a, MemorySegment b, boolean stamped, TreeWrite write)
            throws IOException {
        checkWritable();
        long end;
        try {
            end = wal.append(type, a, b);
        } catch (IOException e) {
            throw failedLog(e);
        }
        long stamp = stamped ? mvcc.openWrite() : NO_STAMP;
        try {
            write.apply(stamp);
        } catch (IOException | RuntimeException e) {
            long size = WalFormat.RECORD_OVERHEAD + a.byteSize() + (b == null ? 0 : b.byteSize());
            abort(end - size, e);
            throw e;
        } finally {
            if (stamped) {
                mvcc.publish(stamp);
            }
        }
        return end;
    }

    /**
     * Before {@code key} changes in the write stamped {@code stamp}: saves its value for open
     * snapshots (when there are any; otherwise nothing is read).
     */
    void rememberOld(long stamp, MemorySegment key) throws IOException {
        if (stamp != NO_STAMP && mvcc.keeping()) {
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

    /**
     * Applies a batch (keys strictly ascending, as {@link Engine#write} leaves them) as write
     * {@code stamp}; undoes all on failure. With no snapshot to keep old values for, the store takes
     * the keys a leaf at a time and hands back the old values for the undo; otherwise each old value
     * is read and remembered before its key changes.
     */
    void applyBatch(List<byte[]> keys, List<byte[]> values, long stamp) throws IOException {
        int n = keys.size();
        byte[][] before = new byte[n][];
        int applied = 0;
        boolean keep = stamp != NO_STAMP && mvcc.keeping();
        multiGet.batchStarted();
        try {
            if (!keep) {
                while (applied < n) {
                    applied = tree.applySorted(keys, values, applied, before);
                }
                return;
            }
            for (; applied < n; applied++) {
                byte[] k = keys.get(applied);
                before[applied] = Engine.read(tree, k);
                mvcc.remember(stamp, k, before[applied]);
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
            multiGet.batchFinished();
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
