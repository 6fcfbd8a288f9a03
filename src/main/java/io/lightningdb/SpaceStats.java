package io.lightningdb;

import io.lightningdb.engine.SpaceFigures;

/**
 * What the database's files take on disk against the data they hold, as of a
 * {@link DatabaseStats} snapshot. {@code amplification} is the figure to watch: the directory's
 * bytes over the key and value bytes stored.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="space"}
 *
 * @param liveBytes key and value bytes of the entries (each key's length plus its value's)
 * @param dataFileBytes the data file's length, with the space it grew ahead of writes
 * @param logFileBytes the write-ahead log's files at their preallocated sizes (a clean close
 *     cuts the last segment to its records and deletes the spare)
 * @param freePageBytes bytes of the data file's slots that hold no page a checkpoint needs: room
 *     for the next writes, or for {@code compact()} (or background compaction) to give back
 * @param backgroundCompactions compactions run by themselves ({@code autoCompactThreshold}) since the open
 * @param backgroundBytesReclaimed bytes of the data file those gave back
 * @param dataAmplification {@code dataFileBytes / liveBytes}; 0 when nothing is stored
 * @param amplification {@code (dataFileBytes + logFileBytes) / liveBytes}; 0 when nothing is stored
 */
public record SpaceStats(long liveBytes, long dataFileBytes, long logFileBytes, long freePageBytes,
        long backgroundCompactions, long backgroundBytesReclaimed, double dataAmplification, double amplification) {

    static SpaceStats of(SpaceFigures s) {
        return new SpaceStats(s.liveBytes(), s.dataFileBytes(), s.logFileBytes(), s.freePageBytes(),
                s.backgroundCompactions(), s.backgroundBytesReclaimed(), ratio(s.dataFileBytes(), s.liveBytes()),
                ratio(s.dataFileBytes() + s.logFileBytes(), s.liveBytes()));
    }

    private static double ratio(long bytes, long live) {
        return live <= 0 ? 0.0 : (double) bytes / live;
    }
}
