package io.lightningdb.txn;

/**
 * The open snapshots, oldest first, in a doubly-linked list under one small lock. Begin and end of
 * transactions take it; writers never do (they read {@link #count()}, a volatile), so a snapshot,
 * however long it stays open, never blocks a writer.
 */
final class Snapshots {
    private final Object lock = new Object();
    private Snapshot oldest;
    private Snapshot newest;
    private volatile int count;

    /** Open snapshots now; a writer keeps old versions while this is above zero. */
    int count() {
        return count;
    }

    /**
     * Registers a snapshot whose floor is {@code clock}'s visible stamp read under the lock, so
     * floors rise along the list and its head holds the oldest.
     */
    Snapshot register(CommitClock clock, long nowNanos) {
        synchronized (lock) {
            Snapshot s = new Snapshot(clock.visible(), nowNanos);
            s.older = newest;
            if (newest != null) {
                newest.newer = s;
            } else {
                oldest = s;
            }
            newest = s;
            s.registered = true;
            count = count + 1;
            return s;
        }
    }

    /** Removes {@code s} if still registered; returns whether it was the oldest. */
    boolean unregister(Snapshot s) {
        synchronized (lock) {
            if (!s.registered) {
                return false;
            }
            boolean wasOldest = oldest == s;
            unlink(s);
            return wasOldest;
        }
    }

    private void unlink(Snapshot s) {
        if (s.older != null) {
            s.older.newer = s.newer;
        } else {
            oldest = s.newer;
        }
        if (s.newer != null) {
            s.newer.older = s.older;
        } else {
            newest = s.older;
        }
        s.older = null;
        s.newer = null;
        s.registered = false;
        count = count - 1;
    }

    /**
     * The stamp at or before which no open snapshot needs an old version: the oldest floor, or
     * {@code visible} when none is open.
     */
    long horizon(long visible) {
        synchronized (lock) {
            return oldest == null ? visible : oldest.floor;
        }
    }

    /** When the oldest open snapshot began ({@link System#nanoTime()}), or -1 when none is open. */
    long oldestBeganNanos() {
        synchronized (lock) {
            return oldest == null ? -1 : oldest.beganNanos();
        }
    }

    /** Aborts and unregisters the oldest snapshot, returning it, or null when none is open. */
    Snapshot abortOldest(String reason) {
        synchronized (lock) {
            Snapshot s = oldest;
            if (s != null) {
                s.abort(reason);
                unlink(s);
            }
            return s;
        }
    }
}
