package io.lightningdb.wal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Receives records from {@link WalReader#read}. The segments {@code a} and {@code b} are read-only
 * views of the mapped log file, valid only during the call: copy what must outlive it. A record
 * appended with {@code b == null} reads back with an empty {@code b}.
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="recover"}
 */
@FunctionalInterface
public interface RecordVisitor {
    void record(long lsn, byte type, MemorySegment a, MemorySegment b) throws IOException;
}
