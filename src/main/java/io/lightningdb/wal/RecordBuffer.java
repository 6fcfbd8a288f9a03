package io.lightningdb.wal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Off-heap bytes of records appended but not yet written: appenders fill one under the WAL's
 * lock while a flush writes the other. Always keeps room for an end mark after the last record.
 */
final class RecordBuffer implements AutoCloseable {
    private final long initialCapacity;
    private Arena arena;
    private MemorySegment memory;
    private long length;
    private long startLsn;
    private int records;

    RecordBuffer(long initialCapacity) {
        this.initialCapacity = initialCapacity;
        this.arena = Arena.ofShared();
        this.memory = arena.allocate(initialCapacity, 8);
    }

    long length() {
        return length;
    }

    int records() {
        return records;
    }

    /** The LSN of the first byte held. */
    long startLsn() {
        return startLsn;
    }

    MemorySegment memory() {
        return memory;
    }

    /** Empties the buffer for records from {@code lsn}; gives back memory a huge record made it take. */
    void reset(long lsn, long keepCapacity) {
        length = 0;
        records = 0;
        startLsn = lsn;
        if (memory.byteSize() > keepCapacity) {
            arena.close();
            arena = Arena.ofShared();
            memory = arena.allocate(initialCapacity, 8);
        }
    }

    /** Appends the record of {@code type} for log position {@code lsn}: header, u32 a length, a, b. */
    void append(long lsn, byte type, MemorySegment a, MemorySegment b) {
        long aLength = a.byteSize();
        long bLength = b == null ? 0 : b.byteSize();
        long payload = WalFormat.P_A + aLength + bLength;
        ensure(length + WalFormat.RECORD_HEADER_SIZE + payload + WalFormat.RECORD_HEADER_SIZE);
        long p = length + WalFormat.RECORD_HEADER_SIZE;
        memory.set(WalFormat.U32, p + WalFormat.P_A_LENGTH, (int) aLength);
        MemorySegment.copy(a, 0, memory, p + WalFormat.P_A, aLength);
        if (bLength > 0) {
            MemorySegment.copy(b, 0, memory, p + WalFormat.P_A + aLength, bLength);
        }
        WalFormat.sealRecord(memory, length, lsn, type, (int) payload);
        length = p + payload;
        records++;
    }

    /** Writes the end mark for position {@code lsn} just past the records (not counted in the length). */
    void writeEndMark(long lsn) {
        WalFormat.writeEndMark(memory, length, lsn);
    }

    private void ensure(long capacity) {
        if (capacity <= memory.byteSize()) {
            return;
        }
        long grown = Math.max(capacity, memory.byteSize() * 2);
        Arena bigger = Arena.ofShared();
        MemorySegment m = bigger.allocate(grown, 8);
        MemorySegment.copy(memory, 0, m, 0, length);
        arena.close();
        arena = bigger;
        memory = m;
    }

    @Override
    public void close() {
        arena.close();
    }
}
