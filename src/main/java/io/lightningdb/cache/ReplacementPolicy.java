package io.lightningdb.cache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongConsumer;

/**
 * What the buffer pool asks of a replacement policy: where an incoming page goes, which pages to
 * evict, and what to remember of them. The pool calls it only on the slow paths (faults and
 * eviction); a reader's hit never reaches it, and costs at most a rare write the policy reads
 * later: the state word's reference mark (CLOCK, ARC), a coarse access stamp (LRU), an access
 * count (pinning). See the package documentation for the policies.
 *
 * <p>Concurrency: every method runs under this object's monitor, briefly and without I/O; the
 * pool calls {@link #chooseVictims} under its eviction lock. Victims come back exclusively
 * latched and out of the policy's lists; the pool then either evicts them ({@link #evicted}) or,
 * when writing them back failed, keeps them ({@link #restore}).
 */
abstract class ReplacementPolicy implements AutoCloseable {
    /** Flags byte per page: on the policy's first list (T1, CLOCK's probation, LRU's set). */
    static final int RECENT = 1;
    /** On the second list: T2, or CLOCK's protected pages (touched again after admission). */
    static final int FREQUENT = 2;
    /** In the hot partition. */
    static final int PINNED = 4;
    /** Not resident, remembered in ARC's ghost list B1 (evicted from T1) or B2 (from T2). */
    static final int GHOST_RECENT = 8;
    static final int GHOST_FREQUENT = 16;
    /**
     * Under scan resistance, the most of the cache pages touched again after admission may hold
     * (InnoDB's young sublist, 5/8): the other 3/8 is where new pages prove themselves.
     */
    static final double PROTECTED_SHARE = 5.0 / 8;

    protected final StateTable states;
    protected final HotPages hot;
    /** One long per page of the file for the policy's own use (LRU's stamps, ARC's ghost positions), or null. */
    protected final MemorySegment pageLongs;
    protected long capacity;
    private final MemorySegment flags;
    private long admissions;
    private long lastTurnover;
    private long lastPinAging = Long.MIN_VALUE / 2;

    ReplacementPolicy(StateTable states, long maxPages, long capacity, CacheConfig config, boolean withPageLongs)
            throws IOException {
        this.states = states;
        this.capacity = capacity;
        this.flags = Reservations.reserve(maxPages);
        MemorySegment longs = null;
        HotPages h = null;
        try {
            if (withPageLongs) {
                longs = Reservations.reserve(maxPages * Long.BYTES);
            }
            if (config.pinHotPages()) {
                h = new HotPages(maxPages, config.hotPageThreshold(), config.hotPartitionRatio(), capacity);
            }
        } catch (IOException | RuntimeException e) {
            Reservations.release(flags, longs);
            throw e;
        }
        this.pageLongs = longs;
        this.hot = h;
    }

    static ReplacementPolicy create(CacheConfig config, StateTable states, long maxPages, long capacity)
            throws IOException {
        return switch (config.algorithm()) {
            case CLOCK -> new ClockPolicy(states, maxPages, capacity, config);
            case LRU -> new LruPolicy(states, maxPages, capacity, config);
            case ARC -> new CarPolicy(states, maxPages, capacity, config);
        };
    }

    // ---------------------------------------------------------------- the pool's calls

    /**
     * Page {@code pid} just became resident, read from the file or {@code fresh} (allocated now,
     * its old contents irrelevant); the caller holds its latch. Returns the state to publish it
     * in: {@link PageState#MARKED} (not yet referenced) or {@link PageState#UNLOCKED}.
     */
    final synchronized long admit(long pid, boolean fresh) {
        if (hot != null) {
            hot.reset(pid);
        }
        long state = insert(pid, fresh);
        if (++admissions - lastTurnover >= capacity) {
            lastTurnover = admissions;
            if (hot != null) {
                forEachResident(hot::halve);
            }
            onTurnover();
        }
        return state;
    }

    /** Up to {@code max} victims, latched and out of the lists; 0 only if every page is latched or pinned. */
    final synchronized int chooseVictims(long[] out, int max) {
        int n = select(out, max);
        return n > 0 ? n : selectAny(out, max);
    }

    final synchronized void evicted(long[] victims, int n) {
        for (int i = 0; i < n; i++) {
            forget(victims[i]);
        }
    }

    final synchronized void restore(long[] victims, int n) {
        for (int i = 0; i < n; i++) {
            requeue(victims[i]);
        }
    }

    /** The capacity changed: the hot partition shrinks with it (unpinning the coldest pages first). */
    final synchronized void resized(long newCapacity) {
        capacity = newCapacity;
        if (hot != null) {
            hot.resize(newCapacity, this::unpinned);
        }
        onResize();
    }

    final synchronized long pinnedPages() {
        return hot == null ? 0 : hot.size();
    }

    final synchronized boolean isPinned(long pid) {
        return flags(pid) == PINNED;
    }

    /**
     * The pages among [1, {@code pidCount}) in memory now, hottest first as far as the policy can
     * tell, at most {@code max}: pinned pages (hot by their access count), then pages touched again
     * since they came in (ARC's T2, CLOCK's protected pages), then the rest. Two passes over the
     * per-page flags, under the monitor (so never after {@link #close}); a few milliseconds for a
     * million pages, which is why only close and the checkpoint thread ask.
     */
    final synchronized long[] residentByHeat(long pidCount, int max) {
        long end = Math.min(pidCount, states.segment().byteSize() / Long.BYTES);
        int[] tierCounts = new int[3];
        for (long pid = 1; pid < end; pid++) {
            if (PageState.state(states.word(pid)) != PageState.EVICTED) {
                tierCounts[tier(pid)]++;
            }
        }
        int total = (int) Math.min(max, (long) tierCounts[0] + tierCounts[1] + tierCounts[2]);
        long[] out = new long[total];
        int[] next = {0, tierCounts[0], tierCounts[0] + tierCounts[1]};
        for (long pid = 1; pid < end; pid++) {
            if (PageState.state(states.word(pid)) != PageState.EVICTED) {
                int at = next[tier(pid)]++;
                if (at < total) {
                    out[at] = pid;
                }
            }
        }
        return out;
    }

    private int tier(long pid) {
        int f = flags(pid);
        return (f & PINNED) != 0 ? 0 : (f & FREQUENT) != 0 ? 1 : 2;
    }

    /** Off-heap bytes of the policy's lists, plus its per-page bytes times {@code pages}. */
    final synchronized long offHeapBytes(long pages) {
        long perPage = 1 + (hot == null ? 0 : 1) + (pageLongs == null ? 0 : Long.BYTES);
        return listBytes() + (hot == null ? 0 : hot.bytes()) + pages * perPage;
    }

    @Override
    public final synchronized void close() throws IOException {
        try {
            closeLists();
            if (hot != null) {
                hot.close();
            }
        } finally {
            Reservations.release(flags, pageLongs);
        }
    }

    // ---------------------------------------------------------------- for the policies

    final int flags(long pid) {
        return flags.get(ValueLayout.JAVA_BYTE, pid);
    }

    final void setFlags(long pid, int f) {
        flags.set(ValueLayout.JAVA_BYTE, pid, (byte) f);
    }

    /**
     * Moves {@code pid}, a page the caller is examining, into the hot partition if it is hot and
     * there is room; the caller then takes it out of its lists. A hot page that finds the
     * partition full ages the pinned ones (at most once per turnover) to make room.
     */
    final boolean tryPin(long pid) {
        if (hot == null || !hot.qualifies(pid)) {
            return false;
        }
        if (!hot.hasRoom()) {
            if (admissions - lastPinAging < capacity) {
                return false;
            }
            lastPinAging = admissions;
            hot.agePinned(this::unpinned);
            if (!hot.hasRoom()) {
                return false;
            }
        }
        setFlags(pid, PINNED);
        hot.pin(pid);
        return true;
    }

    /** How many protected (frequent) pages the lists may hold beside the pinned ones. */
    final long protectedQuota() {
        return (long) (capacity * PROTECTED_SHARE) - (hot == null ? 0 : hot.size());
    }

    /**
     * Latches and takes up to {@code max - n} pages from the head of {@code ring} whatever their
     * marks, leaving the latched ones at its tail; returns the new count of victims in {@code out}.
     */
    final int takeAny(PidRing ring, long[] out, int n, int max) {
        for (long i = ring.size(); i > 0 && n < max; i--) {
            long pid = ring.pop();
            if (states.tryLatch(pid, states.word(pid))) {
                out[n++] = pid;
            } else {
                ring.push(pid);
            }
        }
        return n;
    }

    private void unpinned(long pid) {
        setFlags(pid, 0);
        reinsert(pid);
    }

    /** Adds a page just admitted to the lists; returns the state to publish it in. */
    abstract long insert(long pid, boolean fresh);

    /** The policy's choice of up to {@code max} victims. */
    abstract int select(long[] out, int max);

    /** Any victims at all, marks and protection ignored: when {@link #select} found none. */
    abstract int selectAny(long[] out, int max);

    /** A victim has been evicted. */
    abstract void forget(long pid);

    /** A victim could not be written back and stays resident. */
    abstract void requeue(long pid);

    /** A page leaves the hot partition and rejoins the lists (it has been hot: as a frequent page). */
    abstract void reinsert(long pid);

    /** Every page on the lists (not the pinned ones). */
    abstract void forEachResident(LongConsumer action);

    void onTurnover() {}

    void onResize() {}

    abstract long listBytes();

    abstract void closeLists();
}
