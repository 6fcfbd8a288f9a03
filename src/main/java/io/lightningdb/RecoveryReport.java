package io.lightningdb;

import io.lightningdb.wal.WalRecovery;

/**
 * What {@link Database#open} replayed from the write-ahead log: the writes after the last
 * checkpoint, and whether the log ended in a damaged record (a write torn by a crash, never
 * acknowledged) that was cut off.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="recovery"}
 *
 * @param records log records replayed (0 after a clean close)
 * @param bytes log bytes replayed
 * @param tailCut whether a damaged tail was cut off
 * @param cutReason what was wrong with the tail (file, offset, reason), or null
 * @param millis how long the replay took
 */
public record RecoveryReport(long records, long bytes, boolean tailCut, String cutReason, long millis) {
    static RecoveryReport of(WalRecovery r, long millis) {
        return new RecoveryReport(r.records(), r.bytes(), r.cut(), r.cutReason(), millis);
    }
}
