package io.lightningdb;

import io.lightningdb.engine.DurabilityFigures;
import java.time.Duration;

/**
 * The write-ahead log and checkpoints, as of a {@link DatabaseStats} snapshot.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="durability"}
 *
 * @param syncMode the configured {@link WalSyncMode}
 * @param logRecords records appended since open (one per put, delete or batch)
 * @param logSyncs group syncs of the log since open (fewer than records when commits share them)
 * @param largestGroup the most records one sync made durable
 * @param logBytesSinceCheckpoint log bytes a crash now would replay
 * @param checkpoints checkpoints since open
 * @param lastCheckpointStall how long the last checkpoint held writers
 * @param maxCheckpointStall the longest any checkpoint since open held writers
 * @param lastCheckpointDuration the whole last checkpoint (writers run during most of it)
 * @param fileBytes the data file's span: live pages, their last checkpointed copies, the page table
 */
public record DurabilityStats(WalSyncMode syncMode, long logRecords, long logSyncs, int largestGroup,
        long logBytesSinceCheckpoint, long checkpoints, Duration lastCheckpointStall, Duration maxCheckpointStall,
        Duration lastCheckpointDuration, long fileBytes) {

    static DurabilityStats of(WalSyncMode syncMode, DurabilityFigures d) {
        return new DurabilityStats(syncMode, d.logRecords(), d.logSyncs(), d.largestGroup(), d.logBytesSinceCheckpoint(),
                d.checkpoints(), Duration.ofNanos(d.lastStallNanos()), Duration.ofNanos(d.maxStallNanos()),
                Duration.ofNanos(d.lastDurationNanos()), d.fileBytes());
    }
}
