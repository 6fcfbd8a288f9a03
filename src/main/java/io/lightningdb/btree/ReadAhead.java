package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.Epochs;
import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cursor's read-ahead ({@code readAheadPages}) and prefetch ({@code prefetchDistance}), after
 * RocksDB's auto-readahead. Once a scan has gone from leaf to leaf twice in a row, a step to a leaf
 * that is not in memory loads that leaf and the ones after it in key order in one batch at queue
 * depth ({@code BufferPool.prefetch}, all reads in flight at once with io_uring), the batch doubling
 * from {@value #FIRST_WINDOW} at each such step up to {@code readAheadPages}. With prefetch workers
 * ({@code prefetchEnabled}) and a distance, the scan then keeps that many leaves requested ahead of
 * it: when fewer than half remain, a worker loads the next run (and the value pages its leaves
 * name) while the cursor walks the leaves it has, so reading and walking overlap. A scan over
 * cached leaves never asks; leaves come from their parents' child lists ({@link LeafWindow}), never
 * past the scan's end key. Reverse scans read ahead synchronously.
 *
 * <p>The ids are hints read optimistically: a leaf split, merged or freed meanwhile is loaded for
 * nothing (a batch load skips what is resident or out of range, and leaves a failed read to the
 * normal path), never read as data, since the cursor reads every leaf through its own validated
 * link or descent; a worker loads inside an epoch, so no page it loads is reused under it.
 */
final class ReadAhead {
    /** Leaves in the first batch. */
    static final int FIRST_WINDOW = 8;

    private final BTree tree;
    private final int max;
    private final LeafWindow leaves;
    private int size;
    /** Leaves requested past the cursor's leaf, counted down a step at a time. */
    private int ahead;
    /** The lower bound of the first leaf not requested yet: where the next prefetch starts. */
    private byte[] resume;
    /** A worker is loading for this cursor; it hands its {@link #workerResume} over when done. */
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile byte[] workerResume;
    private volatile boolean workerDone;

    ReadAhead(BTree tree, int maxPages) {
        this.tree = tree;
        this.max = maxPages;
        this.leaves = new LeafWindow(tree);
    }

    /** The scan went off its order (a new descent): the next batch starts small again. */
    void reset() {
        size = 0;
        ahead = 0;
        resume = null;
    }

    /**
     * At a forward step to leaf {@code next}, the right neighbour of the leaf that ended at
     * {@code lastKey}, the cursor's second or later in order: a miss loads it and the leaves after
     * it now; then, with a prefetch distance, a worker is asked for the run after the requested
     * ones once fewer than half the distance remain. Inside an epoch.
     */
    void forward(long next, byte[] lastKey, MemorySegment to) throws IOException {
        if (lastKey == null) {
            return;
        }
        ahead = Math.max(0, ahead - 1);
        if (workerDone && !inFlight.get()) {
            workerDone = false;
            resume = workerResume;
        }
        if (!tree.pool.isResident(next)) {
            size = grown();
            int n = leaves.collect(lastKey, to, false, next, false, size);
            if (n > 1) {
                tree.pool.prefetch(leaves.pids, n);
            }
            ahead = Math.max(0, n - 1);
            resume = leaves.resume;
        }
        int distance = tree.prefetchDistance();
        Executor workers = tree.prefetchWorkers();
        if (distance > 0 && workers != null && resume != null && ahead <= distance / 2
                && inFlight.compareAndSet(false, true)) {
            int want = Math.min(Math.max(FIRST_WINDOW, distance - ahead), Math.max(FIRST_WINDOW, max));
            byte[] from = resume;
            resume = null;
            ahead += want;
            try {
                workers.execute(() -> prefetch(from, to, want));
            } catch (RejectedExecutionException busy) {
                // Every worker busy and the queue full: this run is read when reached.
                ahead -= want;
                inFlight.set(false);
            }
        }
    }

    /** On a worker: loads the {@code want} leaves from the one holding {@code from}, then the value pages they name. */
    private void prefetch(byte[] from, MemorySegment to, int want) {
        LeafWindow w = new LeafWindow(tree);
        Epochs.Slot slot = tree.epochs.enter();
        try {
            int n = w.collect(from, to, false, 0, true, want);
            if (n > 0) {
                tree.pool.prefetch(w.pids, n);
                long[] values = valuePages(w.pids, n);
                if (values.length > 0) {
                    tree.pool.prefetch(values, values.length);
                }
            }
            workerResume = w.resume;
        } catch (IOException | RuntimeException e) {
            // A hint that failed: the cursor reads these pages itself and reports what it finds.
            workerResume = null;
        } finally {
            tree.epochs.exit(slot);
            workerDone = true;
            inFlight.set(false);
        }
    }

    /** The value pages not in memory that the resident leaves among {@code pids[0..n)} name, read optimistically. */
    private long[] valuePages(long[] pids, int n) {
        long[] out = new long[64];
        int m = 0;
        for (int i = 0; i < n; i++) {
            long pid = pids[i];
            long w = tree.pool.readLatchResident(pid);
            if (w == BufferPool.NOT_RESIDENT) {
                continue; // not loaded after all (or evicted since): its values are read when reached
            }
            MemorySegment p = tree.pool.page(pid);
            int before = m;
            try {
                if (NodeLayout.type(p) != PageTypes.LEAF) {
                    continue;
                }
                int count = Nodes.clampedCount(p);
                long last = 0;
                for (int e = 0; e < count; e++) {
                    int cell = slot(p, count, e);
                    if (valueKind(p, cell) != VALUE_SEPARATE) {
                        continue;
                    }
                    long vp = ValuePages.pid(p.get(ValueLayout.JAVA_LONG_UNALIGNED,
                            (long) leafKeyOffset(cell) + NodeLayout.keyLen(p, cell)));
                    if (vp != last && vp > 0 && vp < tree.pool.maxPages() && !tree.pool.isResident(vp)) {
                        if (m == out.length) {
                            out = Arrays.copyOf(out, m * 2);
                        }
                        out[m++] = vp;
                    }
                    last = vp;
                }
            } catch (RuntimeException torn) {
                m = before;
            }
            if (!tree.pool.validate(pid, w)) {
                m = before; // changed under the read: its ids may be anything
            }
        }
        return Arrays.copyOf(out, m);
    }

    /**
     * Before a backward step to the leaf holding the keys just below {@code below}, the cursor's
     * second or later in order: when that leaf is not in memory, loads it and the leaves before
     * it. Inside an epoch.
     */
    void backward(byte[] below, MemorySegment from) throws IOException {
        if (below == null) {
            return;
        }
        int grown = grown();
        int n = leaves.collect(below, from, true, 0, false, grown);
        // The leaf the step reads first: only a miss there starts a batch (and grows the window).
        if (n > 1 && !tree.pool.isResident(leaves.pids[0])) {
            size = grown;
            tree.pool.prefetch(leaves.pids, n);
        }
    }

    /** The size of the next batch: the first, or twice the last, at most the bound. */
    private int grown() {
        return size == 0 ? Math.min(max, FIRST_WINDOW) : Math.min(max, size * 2);
    }
}
