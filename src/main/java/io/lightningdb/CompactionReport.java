package io.lightningdb;

import io.lightningdb.engine.Compaction;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Database#compact()} did: the data file's size before and after, the pages it moved
 * from the end of the file into free slots lower down, and how long it took.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="compact"}
 *
 * @param fileBytesBefore the size of {@code lightning.db} when the compaction began
 * @param fileBytesAfter its size when it ended (what the file system reports then)
 * @param pagesMoved pages (tree nodes, overflow pages, page-table chunks) written to a lower slot
 * @param duration how long the compaction took, checkpoints included
 */
public record CompactionReport(long fileBytesBefore, long fileBytesAfter, long pagesMoved, Duration duration) {
    public CompactionReport {
        if (fileBytesBefore < 0 || fileBytesAfter < 0 || pagesMoved < 0) {
            throw new IllegalArgumentException("fileBytesBefore, fileBytesAfter and pagesMoved must be >= 0, got "
                    + fileBytesBefore + ", " + fileBytesAfter + ", " + pagesMoved);
        }
        Objects.requireNonNull(duration, "duration");
    }

    static CompactionReport of(Compaction c) {
        return new CompactionReport(c.bytesBefore(), c.bytesAfter(), c.pagesMoved(), Duration.ofNanos(c.nanos()));
    }

    /**
     * Bytes given back to the file system: {@code fileBytesBefore - fileBytesAfter}. Negative when
     * writers running during the compaction grew the file by more than it cut.
     */
    public long bytesReclaimed() {
        return fileBytesBefore - fileBytesAfter;
    }
}
