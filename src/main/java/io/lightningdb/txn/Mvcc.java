package io.lightningdb.txn;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Multi-version concurrency on a single-version tree: the tree holds the newest committed value of
 * every key; a write made while a snapshot is open first saves the value it replaces here, stamped
 * with the write; a snapshot reads the tree and, when a save stamped after it exists, the saved
 * value instead. Old versions live only while a snapshot may need them: the collector drops
 * every version at or before the oldest open snapshot, and, when they outgrow the limit, aborts
 * the oldest snapshot rather than let memory grow without end.
 *
 * <p>Writer protocol, for a writer that runs alone while snapshots may be open: {@link #openWrite()},
 * then for each key {@link #remember} before changing the tree when {@link #keeping()}, then
 * {@link #publish}; after, {@link #afterWrite()}. Writers that run side by side take no stamp and
 * keep no versions: they run only while no snapshot is open, and a snapshot that registers meanwhile
 * waits for them (the {@code afterRegister} hook) before it takes its stamp.
 */
public final class Mvcc {
    private final CommitClock clock = new CommitClock();
    private final Snapshots snapshots = new Snapshots();
    private final VersionStore versions = new VersionStore();
    private final ReentrantLock collecting = new ReentrantLock();
    private final AtomicBoolean collectRequested = new AtomicBoolean();
    private final long maxVersionBytes;
    private final LongAdder aborted = new LongAdder();
    /** Whether the write in progress keeps versions; written and read by the writer alone in the gate. */
    private boolean keep;

    /** Runs in {@link #begin} after the snapshot registered and before it takes its stamp. */
    private final Runnable afterRegister;

    /**
     * {@code afterRegister} lets the engine hold back a new snapshot until the writers that looked
     * for snapshots before it registered (and so keep no versions for it) are done.
     */
    public Mvcc(long maxVersionBytes, Runnable afterRegister) {
        this.maxVersionBytes = maxVersionBytes;
        this.afterRegister = afterRegister;
    }

    // ---------------------------------------------------------------- writers

    /** Alone (the writer gate held exclusively): stamps the next write and decides whether it keeps old versions. */
    public long openWrite() {
        long t = clock.open();
        keep = snapshots.count() > 0;
        if (keep) {
            clock.keepsVersions();
        }
        return t;
    }

    /** Alone (the writer gate held exclusively): whether the write in progress must {@link #remember} what it replaces. */
    public boolean keeping() {
        return keep;
    }

    /**
     * Alone (the writer gate held exclusively), before the tree changes: {@code key} held {@code oldValue} (null:
     * absent) before write {@code stamp}. {@code key} must be a private copy.
     */
    public void remember(long stamp, byte[] key, byte[] oldValue) {
        versions.add(stamp, key, oldValue);
    }

    /** Alone (the writer gate held exclusively): the write is wholly applied (or undone); new snapshots see it. */
    public void publish(long stamp) {
        clock.publish(stamp);
    }

    /** After the writer left the gate: drops versions no snapshot needs, and enforces the memory limit. */
    public void afterWrite() {
        if (!versions.isEmpty()) {
            collect();
        }
    }

    // ---------------------------------------------------------------- snapshots

    /** Opens a snapshot of every write published so far. */
    public Snapshot begin() {
        Snapshot s = snapshots.register(clock, System.nanoTime());
        afterRegister.run();
        s.stamp(clock.snapshotStamp());
        return s;
    }

    /** Closes {@code s}; if it was the oldest, versions only it needed are dropped. */
    public void end(Snapshot s) {
        if (snapshots.unregister(s) && !versions.isEmpty()) {
            collect();
        }
    }

    /**
     * The value of {@code key} for {@code s}, given {@code treeValue} read from the tree just
     * before (null: absent there): the tree's value unless a write after the snapshot replaced it,
     * in which case a copy of the value it replaced (null: absent), the caller's to keep.
     */
    public byte[] read(Snapshot s, byte[] key, byte[] treeValue) {
        if (versions.isEmpty()) {
            return treeValue;
        }
        byte[] v = versions.valueAt(key, s.stamp());
        return v == VersionChain.UNCHANGED ? treeValue : v == null ? null : v.clone();
    }

    /** The stamp of the last write wholly applied. */
    public long visible() {
        return clock.visible();
    }

    /**
     * Whether a write stamped after {@code stamp} changed {@code key}; exact for any stamp at or
     * after an open snapshot's (every later write keeps versions while it is open).
     */
    public boolean changedAfter(long stamp, byte[] key) {
        return !versions.isEmpty() && versions.changedAfter(key, stamp);
    }

    /** The first key in the range (null bounds open) a write after {@code s} changed, or null. */
    public byte[] firstChangedIn(Snapshot s, byte[] from, byte[] to, boolean toInclusive) {
        return versions.isEmpty() ? null : versions.firstChangedIn(from, to, toInclusive, s.stamp());
    }

    VersionStore versions() {
        return versions;
    }

    // ---------------------------------------------------------------- collection

    /**
     * Collects until no request is left: a thread that finds the collector busy leaves its request
     * for it, so a snapshot ending during a collection (whose horizon was computed before) is never
     * left with versions nobody drops.
     */
    private void collect() {
        collectRequested.set(true);
        while (collectRequested.get() && collecting.tryLock()) {
            try {
                collectRequested.set(false);
                collectOnce();
            } finally {
                collecting.unlock();
            }
        }
    }

    private void collectOnce() {
        while (true) {
            versions.collect(snapshots.horizon(clock.visible()));
            long held = versions.bytes();
            if (held <= maxVersionBytes) {
                return;
            }
            long began = snapshots.oldestBeganNanos();
            String why = String.format(
                    "its snapshot was aborted after %.1f s: old versions kept for it reached %d bytes, past "
                            + "maxVersionMemory %d; keep transactions short or raise maxVersionMemory",
                    began < 0 ? 0.0 : (System.nanoTime() - began) / 1e9, held, maxVersionBytes);
            if (snapshots.abortOldest(why) == null) {
                return;
            }
            aborted.increment();
        }
    }

    // ---------------------------------------------------------------- figures

    public int openSnapshots() {
        return snapshots.count();
    }

    /** Nanoseconds since the oldest open snapshot began, or 0 when none is open. */
    public long oldestSnapshotAgeNanos() {
        long began = snapshots.oldestBeganNanos();
        return began < 0 ? 0 : System.nanoTime() - began;
    }

    public long versionBytes() {
        return versions.bytes();
    }

    public long versionCount() {
        return versions.entries();
    }

    /** Snapshots aborted because old versions outgrew {@code maxVersionMemory}. */
    public long abortedSnapshots() {
        return aborted.sum();
    }
}
