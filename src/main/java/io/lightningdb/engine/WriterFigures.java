package io.lightningdb.engine;

/**
 * How writers shared the write path since open, for the API's {@code WriterStats}.
 *
 * @param maxConcurrentWriters plain writers admitted at once
 * @param peakConcurrentWriters the most plain writers that were applying at once
 * @param sideBySide writes applied while others could be (plain writes with no snapshot open)
 * @param alone writes applied with every other writer out (commits, writes while snapshots were open)
 */
public record WriterFigures(int maxConcurrentWriters, int peakConcurrentWriters, long sideBySide, long alone) {}
