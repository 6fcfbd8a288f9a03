package io.lightningdb;

/**
 * When a write counts as done, set with {@link LightningDbConfig.Builder#walSyncMode}. Every write
 * (put, delete, a whole {@link WriteBatch}) is one record in the write-ahead log; the modes differ
 * only in when the call returns.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="syncModes"}
 */
public enum WalSyncMode {
    /**
     * A write returns once its record is on stable storage (written and fdatasync'd): it survives
     * a process kill and a power loss. Writes that arrive while a sync is running share the next.
     */
    SYNC,
    /**
     * As durable as SYNC, with group commit: the thread that syncs holds the group open up to
     * {@code walBatchMaxWait} while other writers are on their way, or until {@code writeBatchSize}
     * records wait, so many concurrent writers share one fdatasync. A lone writer never waits.
     */
    BATCH,
    /**
     * A write returns at once; a background thread syncs the log every {@code walFlushInterval}. A
     * crash loses at most the writes of about the last interval, never more, and never leaves a
     * write half-applied: what survives is a prefix of the history.
     */
    ASYNC
}
