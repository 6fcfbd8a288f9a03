package io.lightningdb.cache;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A growable ring of page ids in off-heap memory (the heap must not grow with the cache), used
 * as a FIFO (clocks, ghost lists) or as an unordered set (swap-remove). Positions are absolute
 * counters, so a position stays valid while the ring grows. Not thread-safe: the owning
 * policy's lock guards it.
 */
final class PidRing implements AutoCloseable {
    private Arena arena;
    private MemorySegment slots;
    private long mask;
    private long head;
    private long tail;

    PidRing(long minCapacity) {
        allocate(Math.max(16, Long.highestOneBit(Math.max(1, minCapacity - 1)) << 1));
    }

    private void allocate(long capacity) {
        Arena a = Arena.ofShared();
        MemorySegment s = a.allocate(capacity * Long.BYTES, Long.BYTES);
        if (slots != null) {
            for (long pos = head; pos < tail; pos++) {
                s.setAtIndex(ValueLayout.JAVA_LONG, pos & (capacity - 1), slots.getAtIndex(ValueLayout.JAVA_LONG, pos & mask));
            }
            arena.close();
        }
        arena = a;
        slots = s;
        mask = capacity - 1;
    }

    long size() {
        return tail - head;
    }

    boolean isEmpty() {
        return tail == head;
    }

    long capacity() {
        return mask + 1;
    }

    long headPosition() {
        return head;
    }

    long tailPosition() {
        return tail;
    }

    /** Appends at the tail, growing when full; returns the id's absolute position. */
    long push(long pid) {
        if (tail - head > mask) {
            allocate((mask + 1) << 1);
        }
        slots.setAtIndex(ValueLayout.JAVA_LONG, tail & mask, pid);
        return tail++;
    }

    /** Removes and returns the id at the head; the ring must not be empty. */
    long pop() {
        return slots.getAtIndex(ValueLayout.JAVA_LONG, head++ & mask);
    }

    /** The id {@code i} places after the head. */
    long get(long i) {
        return slots.getAtIndex(ValueLayout.JAVA_LONG, (head + i) & mask);
    }

    long getAt(long position) {
        return slots.getAtIndex(ValueLayout.JAVA_LONG, position & mask);
    }

    void setAt(long position, long pid) {
        slots.setAtIndex(ValueLayout.JAVA_LONG, position & mask, pid);
    }

    /** Removes the id {@code i} places after the head by moving the last one into its place. */
    long removeAt(long i) {
        long pid = get(i);
        tail--;
        setAt(head + i, slots.getAtIndex(ValueLayout.JAVA_LONG, tail & mask));
        return pid;
    }

    /** Drops everything from {@code position} on (after a compaction wrote the survivors before it). */
    void truncate(long position) {
        tail = position;
    }

    long bytes() {
        return (mask + 1) * Long.BYTES;
    }

    @Override
    public void close() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
    }
}
