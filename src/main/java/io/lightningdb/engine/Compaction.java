package io.lightningdb.engine;

/**
 * What a compaction did, for the API's {@code CompactionReport}.
 *
 * @param bytesBefore the data file's size before
 * @param bytesAfter its size after
 * @param pagesMoved pages moved into lower free slots
 * @param nanos how long it took
 */
public record Compaction(long bytesBefore, long bytesAfter, long pagesMoved, long nanos) {}
