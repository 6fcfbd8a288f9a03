package io.lightningdb.pagefile;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Epoch-based reclamation: a reader announces the global epoch when it enters and clears it when it
 * leaves; a page freed at epoch e is reused only when every announced epoch is greater than e, so
 * no reader that might have seen the page still runs. The announcement is a write to the thread's
 * own slot, never to memory another thread writes.
 *
 * {@snippet class=io.lightningdb.pagefile.PageFileExamples region="epochs"}
 */
public final class Epochs {
    private static final long IDLE = Long.MAX_VALUE;

    /** One thread's announcement; padded so two threads' slots never share a cache line. */
    public static final class Slot {
        @SuppressWarnings("unused")
        private long p1, p2, p3, p4, p5, p6, p7;
        volatile long epoch = IDLE;
        @SuppressWarnings("unused")
        private long q1, q2, q3, q4, q5, q6, q7;
        int depth;
    }

    private final AtomicLong global = new AtomicLong(1);
    private final ConcurrentLinkedQueue<Slot> slots = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Slot> local = ThreadLocal.withInitial(() -> {
        Slot s = new Slot();
        slots.add(s);
        return s;
    });

    /** Enters (re-entrantly) and returns the calling thread's slot. */
    public Slot enter() {
        Slot s = local.get();
        if (s.depth++ == 0) {
            s.epoch = global.get();
        }
        return s;
    }

    public void exit(Slot s) {
        if (--s.depth == 0) {
            s.epoch = IDLE;
        }
    }

    /** The current epoch, then a new one begins: pages freed now are tagged with the returned value. */
    public long advance() {
        return global.getAndIncrement();
    }

    /**
     * Waits until no thread is inside an epoch. With a flag the entering threads re-check after
     * announcing themselves (both sides use volatile accesses), this is how the database waits
     * out operations in progress at close.
     */
    public void awaitQuiescence() {
        for (Slot s : slots) {
            while (s.epoch != IDLE) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Pages freed at an epoch below this may be reused: no reader entered before their free still runs. */
    public long safeEpoch() {
        long min = global.get();
        for (Slot s : slots) {
            long e = s.epoch;
            if (e < min) {
                min = e;
            }
        }
        return min;
    }
}
