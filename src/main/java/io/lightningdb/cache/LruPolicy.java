package io.lightningdb.cache;

import static io.lightningdb.cache.PageState.UNLOCKED;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Approximate LRU. Each page has a coarse access stamp, a tick that advances
 * {@value #TICKS_PER_TURNOVER} times per cache turnover; a reader's hit writes the stamp only when
 * the tick moved since (so a page costs at most one write per tick however hot it is). To
 * evict, the policy draws {@value #SAMPLE} random resident pages and evicts the oldest (Redis's
 * approximation: the victim is among the oldest ~6%); with no more resident pages than that, it
 * looks at all of them and is exact LRU at tick resolution.
 *
 * <p>Scan resistance is midpoint insertion, as InnoDB does it: a page comes in on probation
 * (stamp stored negated), and the first hit after admission promotes it (one CAS per residency).
 * Candidates on probation are evicted before protected ones while protected pages hold at most
 * {@link #PROTECTED_SHARE} of the cache; above that the sample is plain LRU, so the protected
 * pages that have aged most go. A scan only churns the probation pages.
 */
final class LruPolicy extends ReplacementPolicy {
    static final int SAMPLE = 16;
    static final int TICKS_PER_TURNOVER = 64;
    private static final VarHandle STAMP = ValueLayout.JAVA_LONG.varHandle();
    private static final long PROTECTED_PENALTY = 1L << 62;

    private final boolean scanResistant;
    /** Per page: the tick of its last access; negative while on probation. */
    private final MemorySegment stamps = pageLongs;
    /** The resident pages not pinned, in no order (swap-removal). */
    private final PidRing pages;
    private final SplittableRandom random = new SplittableRandom(0x1DB);
    /** Promotions made by readers; with {@link #protectedOffset}, the protected-page count. */
    private final LongAdder promotions = new LongAdder();
    private long protectedOffset;
    private volatile long tick = 1;
    private long sinceTick;

    LruPolicy(StateTable states, long maxPages, long capacity, CacheConfig config) throws IOException {
        super(states, maxPages, capacity, config, true);
        this.scanResistant = config.enableScanResistance();
        this.pages = new PidRing(capacity + 64);
    }

    /** A reader's hit on resident page {@code pid}. */
    void touch(long pid) {
        long t = tick;
        long s = (long) STAMP.get(stamps, pid << 3);
        if (s == t) {
            return;
        }
        if (s >= 0) {
            STAMP.set(stamps, pid << 3, t);
        } else if (STAMP.compareAndSet(stamps, pid << 3, s, t)) {
            promotions.increment();
        }
    }

    private long stamp(long pid) {
        return (long) STAMP.get(stamps, pid << 3);
    }

    @Override
    long insert(long pid, boolean fresh) {
        if (++sinceTick >= Math.max(1, capacity / TICKS_PER_TURNOVER)) {
            sinceTick = 0;
            tick = tick + 1;
        }
        STAMP.set(stamps, pid << 3, scanResistant ? -tick : tick);
        pages.push(pid);
        setFlags(pid, RECENT);
        return UNLOCKED;
    }

    private long protectedPages() {
        return promotions.sum() + protectedOffset;
    }

    @Override
    int select(long[] out, int max) {
        int n = 0;
        long budget = 4L * max * SAMPLE + 64;
        while (n < max && budget > 0 && !pages.isEmpty()) {
            long size = pages.size();
            boolean all = size <= SAMPLE;
            int m = all ? (int) size : SAMPLE;
            boolean probationFirst = scanResistant && protectedPages() <= protectedQuota();
            long best = -1;
            long bestKey = Long.MAX_VALUE;
            boolean pinned = false;
            for (int j = 0; j < m; j++, budget--) {
                long idx = all ? j : random.nextLong(size);
                long pid = pages.get(idx);
                if (!PageState.readable(states.word(pid))) {
                    continue;
                }
                long s = stamp(pid);
                if (tryPin(pid)) {
                    pages.removeAt(idx);
                    if (scanResistant && s >= 0) {
                        protectedOffset--;
                    }
                    pinned = true;
                    break;
                }
                long key = Math.abs(s) + (probationFirst && s >= 0 ? PROTECTED_PENALTY : 0);
                if (key < bestKey) {
                    bestKey = key;
                    best = idx;
                }
            }
            if (pinned || best < 0) {
                continue;
            }
            long pid = pages.get(best);
            if (states.tryLatch(pid, states.word(pid))) {
                pages.removeAt(best);
                out[n++] = pid;
            }
        }
        return n;
    }

    @Override
    int selectAny(long[] out, int max) {
        int n = 0;
        for (long i = pages.size() - 1; i >= 0 && n < max; i--) {
            long pid = pages.get(i);
            if (states.tryLatch(pid, states.word(pid))) {
                pages.removeAt(i);
                out[n++] = pid;
            }
        }
        return n;
    }

    @Override
    void forget(long pid) {
        if (scanResistant && stamp(pid) >= 0) {
            protectedOffset--;
        }
        setFlags(pid, 0);
    }

    @Override
    void requeue(long pid) {
        pages.push(pid);
    }

    @Override
    void reinsert(long pid) {
        STAMP.set(stamps, pid << 3, tick);
        pages.push(pid);
        setFlags(pid, RECENT);
        if (scanResistant) {
            protectedOffset++;
        }
    }

    @Override
    void forEachResident(LongConsumer action) {
        for (long i = 0, n = pages.size(); i < n; i++) {
            action.accept(pages.get(i));
        }
    }

    /** Recounts the protected pages: readers racing an eviction can make the running count drift. */
    @Override
    void onTurnover() {
        if (!scanResistant) {
            return;
        }
        long exact = 0;
        for (long i = 0, n = pages.size(); i < n; i++) {
            if (stamp(pages.get(i)) >= 0) {
                exact++;
            }
        }
        protectedOffset = exact - promotions.sum();
    }

    synchronized long protectedCount() {
        return protectedPages();
    }

    @Override
    long listBytes() {
        return pages.bytes();
    }

    @Override
    void closeLists() {
        pages.close();
    }
}
