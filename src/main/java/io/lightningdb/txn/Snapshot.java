package io.lightningdb.txn;

/**
 * One open snapshot: the stamp of the last write it sees, and its place in the registry of open
 * snapshots (oldest first). Belongs to one transaction; only {@link #abortReason()} is written by
 * another thread (the collector, when the old versions this snapshot holds grew past the limit).
 */
public final class Snapshot {
    /** A lower bound of {@link #stamp()} known at registration; the collector keeps versions after it. */
    final long floor;
    private long stamp;
    private final long beganNanos;
    private volatile String abortReason;
    Snapshot older;
    Snapshot newer;
    boolean registered;

    Snapshot(long floor, long beganNanos) {
        this.floor = floor;
        this.beganNanos = beganNanos;
    }

    void stamp(long stamp) {
        this.stamp = stamp;
    }

    /** Writes stamped at or before this are seen; later ones are not. */
    public long stamp() {
        return stamp;
    }

    /** {@link System#nanoTime()} at begin. */
    public long beganNanos() {
        return beganNanos;
    }

    /** Why the collector gave up this snapshot (its old versions were dropped), or null while it is sound. */
    public String abortReason() {
        return abortReason;
    }

    void abort(String reason) {
        abortReason = reason;
    }
}
