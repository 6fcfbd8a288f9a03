package io.lightningdb;

import io.lightningdb.engine.TransactionFigures;
import java.time.Duration;

/**
 * Transactions and the old versions they hold, as of a {@link DatabaseStats} snapshot. A reader
 * left open shows as a large {@code oldestSnapshotAge} with growing {@code versionBytes}.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="transactionStats"}
 *
 * @param active transactions open now
 * @param oldestSnapshotAge how long the oldest open transaction has been open (zero when none)
 * @param versionCount old versions kept for open snapshots
 * @param versionBytes heap bytes those versions hold (bounded by {@code maxVersionMemory})
 * @param commits read-write transactions committed since open (with writes or not)
 * @param conflicts commits refused with {@link TransactionConflictException}
 * @param retries re-runs by {@link Database#inTransaction} after a conflict
 * @param rollbacks read-write transactions rolled back (explicitly, by close, or after a refused commit)
 * @param readOnly read-only transactions ended (committed or closed: the same for them)
 * @param snapshotsTooOld snapshots aborted because versions outgrew {@code maxVersionMemory}
 */
public record TransactionStats(int active, Duration oldestSnapshotAge, long versionCount, long versionBytes,
        long commits, long conflicts, long retries, long rollbacks, long readOnly, long snapshotsTooOld) {

    static TransactionStats of(TransactionFigures t) {
        return new TransactionStats(t.active(), Duration.ofNanos(t.oldestSnapshotAgeNanos()), t.versionCount(),
                t.versionBytes(), t.commits(), t.conflicts(), t.retries(), t.rollbacks(), t.readOnly(),
                t.snapshotsTooOld());
    }
}
