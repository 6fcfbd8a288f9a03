package io.lightningdb.cache;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A ghost list of ARC/CAR (B1 or B2): ids of pages evicted recently, oldest first, without their
 * contents. A page leaves it either from the old end (discarded) or from anywhere when it is
 * requested again (a ghost hit); the latter leaves a tombstone in the ring, skipped when the old
 * end reaches it and squeezed out when the ring fills.
 */
final class GhostList implements AutoCloseable {
    private static final long TOMBSTONE = -1;
    private final PidRing ring;
    /** Per page: its absolute position in whichever ghost ring holds it (shared by B1 and B2). */
    private final MemorySegment positions;
    private long live;

    GhostList(long capacity, MemorySegment positions) {
        this.ring = new PidRing(2 * capacity);
        this.positions = positions;
    }

    long size() {
        return live;
    }

    void push(long pid) {
        if (ring.size() == ring.capacity() && live <= ring.capacity() / 2) {
            compact();
        }
        positions.setAtIndex(ValueLayout.JAVA_LONG, pid, ring.push(pid));
        live++;
    }

    /** Takes {@code pid} out (it is being requested again); the caller knows it is here. */
    void remove(long pid) {
        ring.setAt(positions.getAtIndex(ValueLayout.JAVA_LONG, pid), TOMBSTONE);
        live--;
    }

    /** Removes and returns the oldest id, or -1 when the list is empty. */
    long discardOldest() {
        while (!ring.isEmpty()) {
            long pid = ring.pop();
            if (pid != TOMBSTONE) {
                live--;
                return pid;
            }
        }
        return -1;
    }

    /** Slides the live ids towards the head over the tombstones, keeping their order. */
    private void compact() {
        long to = ring.headPosition();
        for (long from = to; from < ring.tailPosition(); from++) {
            long pid = ring.getAt(from);
            if (pid != TOMBSTONE) {
                ring.setAt(to, pid);
                positions.setAtIndex(ValueLayout.JAVA_LONG, pid, to);
                to++;
            }
        }
        ring.truncate(to);
    }

    long bytes() {
        return ring.bytes();
    }

    @Override
    public void close() {
        ring.close();
    }
}
