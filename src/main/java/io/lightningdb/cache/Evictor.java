package io.lightningdb.cache;

import static io.lightningdb.cache.PageState.EVICTED;
import static io.lightningdb.cache.PageState.UNLOCKED;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Eviction for the {@link BufferPool}: one round at a time (its lock also keeps a checkpoint's
 * capture from running beside it), the policy's victims, dirty ones written back in one batch,
 * then released ({@link LazyRelease}).
 */
final class Evictor {
    /** Victims gathered per eviction round: one batch of write-backs. */
    static final int EVICT_BATCH = DirtyPages.BATCH;
    private static final long WRITE_BACK_RETRY_NANOS = 100_000_000L;

    private final BufferPool pool;
    private final ReplacementPolicy policy;
    private final StateTable states;
    private final DirtyPages dirty;
    private final AtomicLong resident;
    private final ReentrantLock evictLock = new ReentrantLock();
    private final long[] victims = new long[EVICT_BATCH];
    private final AtomicLong evictions = new AtomicLong();
    /** When the pool went over capacity because dirty pages could not be written, or 0. */
    private long overCapacitySince;
    private long lastFailedWriteBack;

    Evictor(BufferPool pool, ReplacementPolicy policy, StateTable states, DirtyPages dirty, AtomicLong resident) {
        this.pool = pool;
        this.policy = policy;
        this.states = states;
        this.dirty = dirty;
        this.resident = resident;
    }

    ReentrantLock lock() {
        return evictLock;
    }

    long evictions() {
        return evictions.get();
    }

    /**
     * One round: the policy's victims, dirty ones written back in one batch, then released. When
     * dirty victims cannot be written (a full or failing disk) and no clean one is among them, the
     * pool goes over capacity rather than failing the caller: reads go on, and the dirty pages stay
     * in memory until a write succeeds again (a checkpoint reports the error). Said once in the log.
     */
    void evict(long capacityPages) {
        evictLock.lock();
        try {
            long target = resident.get() - capacityPages;
            if (target <= 0) {
                return; // another thread made room meanwhile
            }
            if (overCapacitySince != 0 && System.nanoTime() - lastFailedWriteBack < WRITE_BACK_RETRY_NANOS) {
                return; // a failing disk can take milliseconds per refusal: not on every fault
            }
            // A whole round at once (up to a 64th of the cache below capacity): its frames go
            // back in one call and one TLB shootdown instead of one per miss.
            long slack = Math.min(EVICT_BATCH - 1, capacityPages / 64);
            int n = policy.chooseVictims(victims, (int) Math.min(EVICT_BATCH, target + slack));
            if (n > 0) {
                writeBackAndRelease(n);
            }
            overCapacitySince = 0;
        } catch (IOException e) {
            lastFailedWriteBack = System.nanoTime();
            if (overCapacitySince == 0) {
                overCapacitySince = System.nanoTime();
                System.getLogger("io.lightningdb").log(System.Logger.Level.WARNING, "{0}: dirty pages cannot be"
                        + " written ({1}); the cache holds {2} pages over its capacity of {3} until they can",
                        pool.io().path(), e.getMessage(), String.valueOf(resident.get() - capacityPages),
                        String.valueOf(capacityPages));
            }
        } finally {
            evictLock.unlock();
        }
    }


    private void writeBackAndRelease(int n) throws IOException {
        try {
            dirty.writeVictims(victims, n);
        } catch (IOException e) {
            // Keep dirty data in memory rather than lose it; clean victims still go, so readers
            // find room while writes fail (a full disk). The error goes to the caller only when
            // no room was made.
            int clean = 0;
            for (int i = 0; i < n; i++) {
                long pid = victims[i];
                if (dirty.isDirty(pid)) {
                    policy.restore(new long[] {pid}, 1);
                    states.publish(pid, PageState.make(UNLOCKED, states.word(pid)));
                } else {
                    victims[clean++] = pid;
                }
            }
            if (clean == 0) {
                throw e;
            }
            n = clean;
        }
        policy.evicted(victims, n);
        pool.releaseAll(victims, n);
        for (int i = 0; i < n; i++) {
            long pid = victims[i];
            resident.decrementAndGet();
            evictions.incrementAndGet();
            states.publish(pid, PageState.make(EVICTED, states.word(pid) + 1));
        }
    }
}
