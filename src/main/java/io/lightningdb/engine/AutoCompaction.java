package io.lightningdb.engine;

import io.lightningdb.pagefile.PageFile;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;

/**
 * Background compaction ({@code autoCompactThreshold}): after each background checkpoint, and on
 * a quiet database's idle ticks ({@link Checkpointer}), decides from the free space the last
 * interval left untouched whether to run the {@link Compactor}.
 *
 * <p>The measure is the page table's low-water mark of free slots between two checkpoints, not
 * the free slots at one instant: copy-on-write writes free a page's old slot two checkpoints
 * after they take a new one, so a file under steady updates always shows free slots, but the
 * writes keep taking them and the low-water mark stays near zero (the file had to grow, or
 * nearly). Space that stayed free for a whole interval is space the workload did not need, as
 * after deletes or a shrunken working set; compacting it away is then not undone by the next
 * interval's writes.
 */
final class AutoCompaction {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.engine");
    /** Below this much free space a compaction's five checkpoints are not worth it. */
    static final long MIN_FREE_BYTES = 16L << 20;

    private final PageFile file;
    private final Compactor compactor;
    private final double threshold;
    private volatile long runs;
    private volatile long bytesReclaimed;

    AutoCompaction(PageFile file, Compactor compactor, double threshold) {
        this.file = file;
        this.compactor = compactor;
        this.threshold = threshold;
    }

    /** Raised out of a compaction's progress callback when the database is closing. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super(null, null, false, false);
        }
    }

    /**
     * After a checkpoint on the checkpoint thread: compacts when the interval it ends left at
     * least the threshold's share of the file free (and {@link #MIN_FREE_BYTES}). A compaction
     * that {@code stopping} interrupts leaves the file as a crash there would, which is sound.
     * Returns whether a compaction ran. Also asked on a quiet database's idle ticks, where the
     * interval since the last question had no writes.
     */
    boolean afterCheckpoint(BooleanSupplier stopping) throws IOException {
        long idle = file.takeFreeSlotLowWater();
        if (!due(idle, file.fileSlots(), file.pageSize(), threshold)) {
            return false;
        }
        try {
            Compaction c = compactor.run((done, total) -> {
                if (stopping.getAsBoolean()) {
                    throw new Stopped();
                }
            });
            runs++;
            bytesReclaimed += c.bytesBefore() - c.bytesAfter();
            LOG.log(Level.INFO, "{0}: background compaction, {1} MiB free since the last checkpoint: {2} -> {3} MiB"
                    + " in {4} ms", file.path(), idle * file.pageSize() >> 20, c.bytesBefore() >> 20,
                    c.bytesAfter() >> 20, c.nanos() / 1_000_000);
            return true;
        } catch (Stopped closing) {
            LOG.log(Level.DEBUG, "{0}: background compaction stopped by close", file.path());
            return false;
        } finally {
            // The compaction's own checkpoints are not an interval of the workload's.
            file.takeFreeSlotLowWater();
        }
    }

    /** Whether {@code idleSlots} free through an interval, of a file of {@code fileSlots}, call for a compaction. */
    static boolean due(long idleSlots, long fileSlots, int pageSize, double threshold) {
        return threshold > 0 && idleSlots * pageSize >= MIN_FREE_BYTES && idleSlots >= threshold * fileSlots;
    }

    long runs() {
        return runs;
    }

    long bytesReclaimed() {
        return bytesReclaimed;
    }
}
