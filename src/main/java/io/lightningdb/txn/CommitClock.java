package io.lightningdb.txn;

/**
 * Stamps writes in the order the tree applies them and says which writes a new snapshot sees.
 * Stamped writers run one at a time (the engine's writer gate); readers only read two volatiles.
 *
 * <p>A write that keeps no old versions (no snapshot was open when it looked) must not be seen
 * half-applied by a snapshot that opens during it. The write publishes its stamp in
 * {@code installing} before it checks for open snapshots, and a snapshot registers before it reads
 * {@code installing}; both are volatile, so one of them sees the other (Dekker): either the write
 * sees the snapshot and keeps versions, or the snapshot sees the write in flight and waits for it
 * to finish, then includes it.
 */
final class CommitClock {
    /** The last write whose changes are all in the tree. */
    private volatile long visible;
    /** The stamp of a write being applied without keeping versions, or 0. */
    private volatile long installing;

    long visible() {
        return visible;
    }

    /** Alone (the writer gate held exclusively): the next write's stamp, announced as in flight. */
    long open() {
        long t = visible + 1;
        installing = t;
        return t;
    }

    /** Alone (the writer gate held exclusively): the write in flight keeps versions, so snapshots need not wait for it. */
    void keepsVersions() {
        installing = 0;
    }

    /** Alone (the writer gate held exclusively): the write stamped {@code t} is wholly applied (or wholly undone). */
    void publish(long t) {
        visible = t;
        installing = 0;
    }

    /**
     * The stamp a snapshot registered just before this call sees: the visible one, after waiting
     * for a write in flight that did not see the registration (that wait is one tree update, never
     * a log sync).
     */
    long snapshotStamp() {
        long inFlight = installing;
        long v = visible;
        if (inFlight > v) {
            int spins = 0;
            while ((v = visible) < inFlight) {
                if (++spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }
        return v;
    }
}
