package io.lightningdb.engine;

/**
 * The log's and checkpoints' figures of an open engine, for the API's {@code DurabilityStats}.
 *
 * @param logRecords records appended since open
 * @param logSyncs log syncs since open
 * @param largestGroup most records one sync made durable
 * @param logBytesSinceCheckpoint log bytes a crash now would replay
 * @param checkpoints checkpoints since open
 * @param lastStallNanos how long the last checkpoint held writers
 * @param maxStallNanos the longest checkpoint stall since open
 * @param lastDurationNanos how long the last checkpoint took
 * @param fileBytes the data file's size
 */
public record DurabilityFigures(long logRecords, long logSyncs, int largestGroup, long logBytesSinceCheckpoint,
        long checkpoints, long lastStallNanos, long maxStallNanos, long lastDurationNanos, long fileBytes) {}
