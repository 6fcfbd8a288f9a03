package io.lightningdb;

import io.lightningdb.engine.WriterFigures;

/**
 * How writers shared the write path since open, as of a {@link DatabaseStats} snapshot. Plain
 * writes (puts, deletes and batches outside transactions) run side by side while no transaction
 * is open; a commit, and any write while a transaction is open, runs alone (it must keep the value
 * it replaces for the open snapshots, in commit order).
 *
 * @param maxConcurrentWriters the configured {@code maxConcurrentWriters}
 * @param peakConcurrentWriters the most plain writers that were applying at once since open
 * @param sideBySide writes since open that ran side by side with others
 * @param alone writes since open that ran alone
 */
public record WriterStats(int maxConcurrentWriters, int peakConcurrentWriters, long sideBySide, long alone) {
    static WriterStats of(WriterFigures w) {
        return new WriterStats(w.maxConcurrentWriters(), w.peakConcurrentWriters(), w.sideBySide(), w.alone());
    }
}
