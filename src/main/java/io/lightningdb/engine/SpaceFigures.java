package io.lightningdb.engine;

/**
 * What an open engine's files take against what they hold, for the API's {@code SpaceStats}.
 *
 * @param liveBytes key and value bytes of the entries
 * @param dataFileBytes the data file's length (with the space grown ahead of writes)
 * @param logFileBytes the log's segment files and spare at their preallocated sizes
 * @param freePageBytes bytes of the data file's free slots (no page a checkpoint needs is there)
 * @param backgroundCompactions compactions the checkpoint thread ran since the open
 * @param backgroundBytesReclaimed bytes of the data file they gave back
 */
public record SpaceFigures(long liveBytes, long dataFileBytes, long logFileBytes, long freePageBytes,
        long backgroundCompactions, long backgroundBytesReclaimed) {}
