package io.lightningdb.engine;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * Admits writers: up to {@code maxConcurrentWriters} plain writers at once ({@link #enterShared}),
 * or one writer alone ({@link #enterExclusive}: a transaction's commit, a write while snapshots are
 * open, a checkpoint's capture). Arrivals queue in order, so a waiting exclusive writer holds back
 * the plain writers behind it and is never starved by a stream of them.
 *
 * <p>State: the count of plain writers inside, or {@link #ALONE} while one writer is alone.
 */
final class WriterGate {
    private static final int ALONE = -1;

    private final int maxShared;
    private final Sync sync = new Sync();
    /** The most plain writers inside at once since open. */
    private volatile int peakShared;

    WriterGate(int maxShared) {
        if (maxShared < 1) {
            throw new IllegalArgumentException("maxConcurrentWriters must be >= 1, got " + maxShared);
        }
        this.maxShared = maxShared;
    }

    /** Waits until fewer than {@code maxConcurrentWriters} plain writers are inside and none is alone. */
    void enterShared() {
        sync.acquireShared(1);
    }

    void exitShared() {
        sync.releaseShared(1);
    }

    /** Waits until no writer is inside, then keeps every other writer out until {@link #exitExclusive}. */
    void enterExclusive() {
        sync.acquire(1);
    }

    void exitExclusive() {
        sync.release(1);
    }

    int maxShared() {
        return maxShared;
    }

    /** The most plain writers that were inside at once since open. */
    int peakShared() {
        return peakShared;
    }

    /** Plain writers inside now. */
    int sharedInside() {
        return Math.max(0, sync.state());
    }

    /**
     * Waits until every plain writer inside now has left: after a snapshot registered, the writers
     * that may not have seen it (they entered before, see {@code Engine}) are done when this returns.
     */
    void drainShared() {
        if (sync.state() > 0) {
            enterExclusive();
            exitExclusive();
        }
    }

    private synchronized void raisePeak(int inside) {
        if (inside > peakShared) {
            peakShared = inside;
        }
    }

    private final class Sync extends AbstractQueuedSynchronizer {
        int state() {
            return getState();
        }

        @Override
        protected int tryAcquireShared(int ignored) {
            while (true) {
                if (hasQueuedPredecessors()) {
                    return -1;
                }
                int s = getState();
                if (s == ALONE || s >= maxShared) {
                    return -1;
                }
                if (compareAndSetState(s, s + 1)) {
                    if (s + 1 > peakShared) {
                        raisePeak(s + 1);
                    }
                    return 1;
                }
            }
        }

        @Override
        protected boolean tryReleaseShared(int ignored) {
            while (true) {
                int s = getState();
                if (compareAndSetState(s, s - 1)) {
                    return true;
                }
            }
        }

        @Override
        protected boolean tryAcquire(int ignored) {
            return !hasQueuedPredecessors() && compareAndSetState(0, ALONE);
        }

        @Override
        protected boolean tryRelease(int ignored) {
            setState(0);
            return true;
        }

        @Override
        protected boolean isHeldExclusively() {
            return getState() == ALONE;
        }
    }
}
