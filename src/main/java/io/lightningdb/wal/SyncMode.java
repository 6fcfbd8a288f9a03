package io.lightningdb.wal;

/**
 * When {@link Wal#awaitDurable} returns, relative to the fdatasync that makes a record durable.
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="syncMode"}
 */
public enum SyncMode {
    /** Every commit waits for an fdatasync covering it; concurrent commits share one (group commit). */
    SYNC,
    /** As SYNC, and the leader of a group may hold it open briefly for more committers (see package doc). */
    BATCH,
    /** Commits return at once; a background thread syncs every {@code flushIntervalNanos}. */
    ASYNC
}
