package io.lightningdb.cache;

import static io.lightningdb.cache.PageState.LOCKED;
import static io.lightningdb.cache.PageState.MARKED;
import static io.lightningdb.cache.PageState.UNLOCKED;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.util.function.LongConsumer;

/**
 * ARC, implemented as CAR (Bansal and Modha, "CAR: Clock with Adaptive Replacement", FAST 2004),
 * so that a hit only sets a reference mark (the state word's, as for CLOCK) instead of moving the
 * page in a list. T1 holds pages seen once recently, T2 pages seen at least twice; both are
 * clocks. B1 and B2 remember the ids of pages recently evicted from T1 and T2. A miss that finds
 * its page in B1 means T1 was too small and raises the target size {@code p} of T1; one found in
 * B2 lowers it. The hand takes from T1 while T1 holds at least {@code p} pages, else from T2; a
 * referenced page in T1 moves to T2, one in T2 goes round again.
 *
 * <p>New pages enter T1 unreferenced: a scan fills and churns T1 (and B1) only, and since its pages
 * never come back while remembered, it does not move {@code p}. CAR is scan resistant by
 * construction, so {@code enableScanResistance} changes nothing here.
 */
final class CarPolicy extends ReplacementPolicy {
    /** Admissions a page is kept from T1's hand for (fewer in caches under 128 pages). */
    private static final long YOUNG = 16;
    private final PidRing t1;
    private final PidRing t2;
    private final GhostList b1;
    private final GhostList b2;
    /** Target size of T1, in pages, in [0, capacity]. */
    private long p;
    /** Pages admitted so far; a resident page's long holds its admission number (a ghost's, its position). */
    private long admitted;

    CarPolicy(StateTable states, long maxPages, long capacity, CacheConfig config) throws IOException {
        super(states, maxPages, capacity, config, true);
        this.t1 = new PidRing(capacity + 64);
        this.t2 = new PidRing(capacity + 64);
        this.b1 = new GhostList(capacity, pageLongs);
        this.b2 = new GhostList(capacity, pageLongs);
    }

    @Override
    long insert(long pid, boolean fresh) {
        int f = flags(pid);
        if (f == GHOST_RECENT) {
            b1.remove(pid);
        } else if (f == GHOST_FREQUENT) {
            b2.remove(pid);
        }
        pageLongs.setAtIndex(ValueLayout.JAVA_LONG, pid, ++admitted);
        if (f == GHOST_RECENT && !fresh) {
            // T1 evicted a page it should have kept: give T1 more room.
            p = Math.min(p + Math.max(1, b2.size() / (b1.size() + 1)), capacity);
            t2.push(pid);
            setFlags(pid, FREQUENT);
        } else if (f == GHOST_FREQUENT && !fresh) {
            p = Math.max(p - Math.max(1, b1.size() / (b2.size() + 1)), 0);
            t2.push(pid);
            setFlags(pid, FREQUENT);
        } else {
            trimGhosts(1);
            t1.push(pid);
            setFlags(pid, RECENT);
        }
        return MARKED;
    }

    /** Keeps |T1| + |B1| <= c and the four lists <= 2c once {@code incoming} more pages join T1. */
    private void trimGhosts(long incoming) {
        while (t1.size() + b1.size() + incoming > capacity && b1.size() > 0) {
            setFlags(b1.discardOldest(), 0);
        }
        while (t1.size() + t2.size() + b1.size() + b2.size() + incoming > 2 * capacity && b2.size() > 0) {
            setFlags(b2.discardOldest(), 0);
        }
    }

    /**
     * Whether {@code pid} came in among the last few admissions. CAR assumes one request at a time:
     * with T1 at its target, the page a miss brings in is evicted by the next miss, and here the
     * next miss may be another thread's, before the first has read its page. So while T1's oldest
     * page is that young, the hand takes from T2 instead.
     */
    private boolean young(long pid) {
        return pageLongs.getAtIndex(ValueLayout.JAVA_LONG, pid) > admitted - Math.min(YOUNG, capacity / 8);
    }

    @Override
    int select(long[] out, int max) {
        int n = 0;
        for (long budget = 3 * (t1.size() + t2.size()) + 64; n < max && budget > 0; budget--) {
            boolean fromT1 = !t1.isEmpty() && (t2.isEmpty() || t1.size() >= Math.max(1, p) && !young(t1.get(0)));
            PidRing list = fromT1 ? t1 : t2;
            if (list.isEmpty()) {
                break;
            }
            long pid = list.pop();
            long w = states.word(pid);
            if (!PageState.readable(w)) {
                list.push(pid);
            } else if (tryPin(pid)) {
                continue;
            } else if (PageState.state(w) == UNLOCKED) {
                // Referenced: clear the mark; from T1 it has now been seen twice and moves to T2.
                states.cas(pid, w, PageState.make(MARKED, w));
                t2.push(pid);
                setFlags(pid, FREQUENT);
            } else if (states.cas(pid, w, PageState.make(LOCKED, w))) {
                out[n++] = pid;
            } else {
                list.push(pid);
            }
        }
        return n;
    }

    @Override
    int selectAny(long[] out, int max) {
        return takeAny(t2, out, takeAny(t1, out, 0, max), max);
    }

    @Override
    void forget(long pid) {
        if (flags(pid) == RECENT) {
            b1.push(pid);
            setFlags(pid, GHOST_RECENT);
        } else {
            b2.push(pid);
            setFlags(pid, GHOST_FREQUENT);
        }
    }

    @Override
    void requeue(long pid) {
        (flags(pid) == RECENT ? t1 : t2).push(pid);
    }

    @Override
    void reinsert(long pid) {
        t2.push(pid);
        setFlags(pid, FREQUENT);
    }

    @Override
    void forEachResident(LongConsumer action) {
        for (PidRing list : new PidRing[] {t1, t2}) {
            for (long i = 0, n = list.size(); i < n; i++) {
                action.accept(list.get(i));
            }
        }
    }

    @Override
    void onResize() {
        p = Math.min(p, capacity);
        trimGhosts(0);
    }

    /** The adaptive target size of T1 (for tests and diagnostics). */
    synchronized long target() {
        return p;
    }

    synchronized long[] sizes() {
        return new long[] {t1.size(), t2.size(), b1.size(), b2.size()};
    }

    @Override
    long listBytes() {
        return t1.bytes() + t2.bytes() + b1.bytes() + b2.bytes();
    }

    @Override
    void closeLists() {
        t1.close();
        t2.close();
        b1.close();
        b2.close();
    }
}
