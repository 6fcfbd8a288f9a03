package io.lightningdb;

/**
 * Told how far a long operation ({@link Database#compact(ProgressListener)}) has come, from the
 * thread doing it: {@code done} of {@code total} units, {@code done} never decreasing, and the
 * last call, once the operation is complete, with {@code done == total}. The total is the same
 * in every call of one operation, so a progress bar can be drawn from the first call on. Keep it
 * quick: the operation waits for it. An exception it throws stops the operation and propagates
 * (for compaction, the database is left sound, perhaps partly compacted).
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="progress"}
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every report. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * @param done units done so far, in [0, total]
     * @param total units in all
     */
    void progress(long done, long total);
}
