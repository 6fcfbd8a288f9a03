package io.lightningdb.cache;

import static io.lightningdb.cache.PageState.LOCKED;
import static io.lightningdb.cache.PageState.MARKED;
import static io.lightningdb.cache.PageState.UNLOCKED;

import java.io.IOException;
import java.util.function.LongConsumer;

/**
 * CLOCK: resident pages on a ring in admission order; the hand (the ring's head) gives a page
 * whose reference mark is set a second chance (clears the mark, moves it to the tail) and evicts
 * one whose mark is clear. The mark is the state word's MARKED state, so a reader's hit writes
 * only when the hand has passed the page since its last touch.
 *
 * <p>Classic (no scan resistance): pages come in referenced. With scan resistance they come in
 * unreferenced and on probation: the hand evicts them on its first pass unless they were touched
 * again, which promotes them to protected. Protected pages are not evicted while they hold at
 * most {@link #PROTECTED_SHARE} of the cache; above it the hand demotes unreferenced ones back to
 * probation. A scan only ever churns the probation pages.
 */
final class ClockPolicy extends ReplacementPolicy {
    private final boolean scanResistant;
    private final PidRing ring;
    private long protectedPages;

    ClockPolicy(StateTable states, long maxPages, long capacity, CacheConfig config) throws IOException {
        super(states, maxPages, capacity, config, false);
        this.scanResistant = config.enableScanResistance();
        this.ring = new PidRing(capacity + 64);
    }

    @Override
    long insert(long pid, boolean fresh) {
        ring.push(pid);
        setFlags(pid, RECENT);
        return scanResistant ? MARKED : UNLOCKED;
    }

    @Override
    int select(long[] out, int max) {
        int n = 0;
        // Two revolutions clear every mark and find the pages still clear; a third covers demotions.
        for (long budget = 3 * ring.size() + 64; n < max && budget > 0 && !ring.isEmpty(); budget--) {
            long pid = ring.pop();
            long w = states.word(pid);
            int f = flags(pid);
            if (!PageState.readable(w)) {
                ring.push(pid);
                continue;
            }
            if (tryPin(pid)) {
                if (f == FREQUENT) {
                    protectedPages--;
                }
                continue;
            }
            if (PageState.state(w) == UNLOCKED) {
                if (states.cas(pid, w, PageState.make(MARKED, w)) && scanResistant && f == RECENT) {
                    setFlags(pid, FREQUENT);
                    protectedPages++;
                }
                ring.push(pid);
            } else if (f == FREQUENT) {
                if (protectedPages > protectedQuota()) {
                    setFlags(pid, RECENT);
                    protectedPages--;
                }
                ring.push(pid);
            } else if (states.cas(pid, w, PageState.make(LOCKED, w))) {
                out[n++] = pid;
            } else {
                ring.push(pid);
            }
        }
        return n;
    }

    @Override
    int selectAny(long[] out, int max) {
        return takeAny(ring, out, 0, max);
    }

    @Override
    void forget(long pid) {
        if (flags(pid) == FREQUENT) {
            protectedPages--;
        }
        setFlags(pid, 0);
    }

    @Override
    void requeue(long pid) {
        ring.push(pid);
    }

    @Override
    void reinsert(long pid) {
        ring.push(pid);
        if (scanResistant) {
            setFlags(pid, FREQUENT);
            protectedPages++;
        } else {
            setFlags(pid, RECENT);
        }
    }

    @Override
    void forEachResident(LongConsumer action) {
        for (long i = 0, n = ring.size(); i < n; i++) {
            action.accept(ring.get(i));
        }
    }

    synchronized long protectedPages() {
        return protectedPages;
    }

    @Override
    long listBytes() {
        return ring.bytes();
    }

    @Override
    void closeLists() {
        ring.close();
    }
}
