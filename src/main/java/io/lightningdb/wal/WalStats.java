package io.lightningdb.wal;

/**
 * Counters of one open {@link Wal}.
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="stats"}
 *
 * @param appends records appended
 * @param syncs group flushes made durable: each wrote its records and fdatasynced every file it
 *     touched (usually one, two when the group crossed into a new segment)
 * @param bytesWritten record bytes written to segment files
 * @param segmentsLive segment files the log holds now
 * @param groupCommitMax the most records one sync made durable
 * @param batchWaits BATCH: times a leader held its group open for more committers
 * @param segmentsCreated spare segment files preallocated (in the background or on demand)
 * @param segmentsRecycled retired segments kept as spares instead of deleted
 * @param endLsn the LSN the next record will get
 * @param durableLsn every record ending at or before this LSN is on stable storage
 * @param diskBytes disk the log's files take: live segments at their preallocated size, and the spare
 */
public record WalStats(long appends, long syncs, long bytesWritten, int segmentsLive, int groupCommitMax,
        long batchWaits, long segmentsCreated, long segmentsRecycled, long endLsn, long durableLsn, long diskBytes) {}
