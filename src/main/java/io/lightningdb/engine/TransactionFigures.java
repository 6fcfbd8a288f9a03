package io.lightningdb.engine;

/**
 * An engine's transactions and the old versions kept for them, for the API's {@code TransactionStats}.
 *
 * @param active transactions open now
 * @param oldestSnapshotAgeNanos how long the oldest open one has been open (0 when none)
 * @param versionCount old versions kept for open snapshots
 * @param versionBytes heap bytes those versions hold
 * @param commits read-write transactions committed since open
 * @param conflicts steps and commits refused with a conflict
 * @param retries runs again after a conflict
 * @param rollbacks read-write transactions ended without a commit
 * @param readOnly read-only transactions ended
 * @param snapshotsTooOld snapshots aborted because versions outgrew their memory
 */
public record TransactionFigures(int active, long oldestSnapshotAgeNanos, long versionCount, long versionBytes,
        long commits, long conflicts, long retries, long rollbacks, long readOnly, long snapshotsTooOld) {}
