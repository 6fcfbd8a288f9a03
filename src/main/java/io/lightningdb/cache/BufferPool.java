package io.lightningdb.cache;

import static io.lightningdb.cache.PageState.EVICTED;
import static io.lightningdb.cache.PageState.LOCKED;
import static io.lightningdb.cache.PageState.MARKED;
import static io.lightningdb.cache.PageState.UNLOCKED;

import io.lightningdb.io.PageIO;
import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The buffer pool (vmcache design, see package docs): one virtual mapping for every page of the
 * file, one state word per page that is both residency and optimistic latch, eviction with
 * madvise, the choice of victims left to a {@link ReplacementPolicy} (LRU, CLOCK or ARC, see
 * {@link CacheConfig}).
 *
 * <p>Readers: {@code long w = readLatch(pid); ...read page(pid)...; if (!validate(pid, w)) restart}.
 * A reader's hit writes shared memory only rarely: to take back a page's reference mark (once per
 * pass of the policy's hand), to renew an LRU stamp (once per tick), to count an access for
 * pinning (sampled, and never once the count saturates), besides faulting a page in.
 * Writers: {@code lock(pid); ...modify...; unlock(pid)}; lock order is the caller's business
 * (the B-link tree never waits for a lock while holding one to its left or below).
 *
 * <p>Capacity: after every call the pool holds at most its capacity in pages, give or take one
 * page per thread faulting at that moment, and more only if every other page is latched.
 *
 * {@snippet class=io.lightningdb.cache.CacheExamples region="latches"}
 */
public final class BufferPool implements AutoCloseable {
    /** Spins on a busy page-state word (another thread loading or evicting it) before yielding the CPU. */
    private static final int SPINS_BEFORE_YIELD = 64;
    /** Page accesses are counted 1 in this many (the reader's coin is thread-local state). */
    private static final int ACCESS_SAMPLE = 64;
    /** Returned by faultIn when another thread is loading the page. */
    private static final long NOT_MINE = DirtyPages.ABSENT;

    private final PageIO io;
    private final int pageSize;
    private final int pageShift;
    private final long maxPages;
    private final MemorySegment region;
    private final StateTable states;
    private final DirtyPages dirty;
    private final PageTable table;
    private final CapturedPages captured;
    private final Evictor evictor;
    private final CacheConfig config;
    private final ReplacementPolicy policy;
    /** The policy when it is LRU (readers stamp pages), else null: a final field, not a virtual call. */
    private final LruPolicy lru;
    private final HotPages hot;
    private volatile long capacityPages;
    private final AtomicLong resident = new AtomicLong();
    /** One past the highest page id ever made resident. */
    private final AtomicLong highWater = new AtomicLong();
    private final HugePages hugePages;
    private final FramePlacement.Applied placement;
    private final ScratchPages scratch;
    private final AtomicLong faults = new AtomicLong();
    private final LazyRelease release;
    private final LongAdder sampledAccesses = new LongAdder();
    private volatile boolean closed;

    /** A pool with the default policy ({@link CacheConfig#defaults()}). */
    public BufferPool(PageIO io, int pageSize, long maxPages, long cacheBytes) throws IOException {
        this(io, null, pageSize, maxPages, cacheBytes, CacheConfig.defaults());
    }

    /** A pool writing pages in place (page {@code pid} at offset pid × pageSize): for tests of the pool alone. */
    public BufferPool(PageIO io, int pageSize, long maxPages, long cacheBytes, CacheConfig config) throws IOException {
        this(io, null, pageSize, maxPages, cacheBytes, config);
    }

    /**
     * @param io the page file
     * @param table where each page lives in the file (every write goes to a fresh place); null:
     *     page {@code pid} at offset pid × pageSize, written in place
     * @param pageSize bytes per page (the io's page size)
     * @param maxPages the most pages the file may ever have: the size of the virtual reservation
     * @param cacheBytes the most bytes of pages held in memory
     * @param config the replacement policy and its knobs
     */
    public BufferPool(PageIO io, PageTable table, int pageSize, long maxPages, long cacheBytes, CacheConfig config)
            throws IOException {
        if (pageSize != io.pageSize()) {
            throw new IllegalArgumentException("pageSize " + pageSize + " differs from the file's " + io.pageSize());
        }
        this.io = io;
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.maxPages = maxPages;
        this.config = config;
        this.capacityPages = capacityFor(cacheBytes);
        MemorySegment r = null;
        MemorySegment s = null;
        MemorySegment d = null;
        MemorySegment c = null;
        FramePlacement.Applied placed;
        try {
            r = Reservations.reserve(maxPages << pageShift);
            // Before any frame is touched: pages follow the policy of the mapping as they fault in.
            placed = config.placement().apply(r, LibNuma.system());
            s = Reservations.reserve(maxPages * Long.BYTES);
            d = Reservations.reserve(maxPages);
            c = Reservations.reserve(maxPages);
            this.states = new StateTable(s);
            this.policy = ReplacementPolicy.create(config, states, maxPages, capacityPages);
        } catch (IOException | RuntimeException e) {
            Reservations.release(r, s, d, c);
            throw e;
        }
        this.region = r;
        this.placement = placed;
        this.scratch = new ScratchPages(pageSize, config.scratch());
        this.captured = new CapturedPages(c, scratch);
        this.table = table;
        this.dirty = new DirtyPages(io, table, states, r, d, pageShift, captured);
        this.evictor = new Evictor(this, policy, states, dirty, resident);
        this.lru = policy instanceof LruPolicy l ? l : null;
        this.hot = policy.hot;
        this.hugePages = new HugePages(r, pageShift, capacityPages);
        this.release = new LazyRelease(config.lazyRelease(), r, pageShift, Evictor.EVICT_BATCH);
    }

    private long capacityFor(long cacheBytes) {
        long pages = cacheBytes >> pageShift;
        if (pages < 16) {
            throw new IllegalArgumentException("cache of " + cacheBytes + " bytes holds fewer than 16 pages of "
                    + pageSize + " bytes");
        }
        return pages;
    }

    public int pageSize() {
        return pageSize;
    }

    public long maxPages() {
        return maxPages;
    }

    public CacheConfig config() {
        return config;
    }

    /** Off-heap scratch pages outside the frames (checkpoint copies and buffers), pooled as configured. */
    public ScratchPages scratch() {
        return scratch;
    }

    /** The NUMA policy the frame reservation got at open, as read back from the kernel, or why none. */
    public FramePlacement.Applied placement() {
        return placement;
    }

    /** The memory of page {@code pid}: always mapped; its contents are only meaningful under a latch. */
    public MemorySegment page(long pid) {
        return region.asSlice(pid << pageShift, pageSize);
    }

    private void checkPid(long pid) {
        if (pid < 0 || pid >= maxPages) {
            throw new IllegalArgumentException("page id " + pid + " outside [0, " + maxPages + ")");
        }
    }

    /**
     * Begins an optimistic read: returns when the page is resident and not exclusively locked,
     * faulting it in if needed. Pass the result to {@link #validate} after reading.
     */
    public long readLatch(long pid) throws IOException {
        return latch(pid, true);
    }

    /** What {@link #readLatchResident} returns for a page that is not in memory. */
    public static final long NOT_RESIDENT = -1L;

    /**
     * Like {@link #readLatch}, but returns {@link #NOT_RESIDENT} instead of loading an evicted
     * page: for readers that gather the pages they miss and load them together ({@link #prefetch}).
     */
    public long readLatchResident(long pid) {
        try {
            return latch(pid, false);
        } catch (IOException cannotHappen) {
            throw new AssertionError("a latch that does not load did I/O", cannotHappen);
        }
    }

    /** An access is counted (1 in {@value #ACCESS_SAMPLE}) when a latch is returned, loaded or not. */
    private long latch(long pid, boolean load) throws IOException {
        checkPid(pid);
        int coin = ThreadLocalRandom.current().nextInt();
        int spins = 0;
        while (true) {
            long w = states.word(pid);
            long st = PageState.state(w);
            if (st == UNLOCKED) {
                touched(pid, coin);
                sample(coin);
                return w;
            }
            if (st == MARKED) {
                // Touched again: take back the mark (version unchanged, readers unaffected).
                states.cas(pid, w, PageState.make(UNLOCKED, w));
                continue;
            }
            if (st == EVICTED) {
                if (!load) {
                    return NOT_RESIDENT;
                }
                // Loading the page is its first access: the reader does not also count as a second.
                long loaded = faultIn(pid, w);
                if (loaded != NOT_MINE) {
                    sample(coin);
                    return loaded;
                }
                continue;
            }
            spins = backOff(spins);
        }
    }

    private void sample(int coin) {
        if ((coin & (ACCESS_SAMPLE - 1)) == 0) {
            sampledAccesses.increment();
        }
    }

    /**
     * Loads the evicted pages among {@code pids[0..n)} with one batch of reads, so that a reader
     * missing many pages (a multiGet) waits for the device once with all of them in flight
     * (io_uring) instead of once per page. Pages resident, being loaded by another thread, or out
     * of range are skipped; a page whose read or checksum fails is left evicted, for the normal
     * read to load and report. Returns the number of pages loaded.
     */
    public int prefetch(long[] pids, int n) throws IOException {
        return BatchLoad.run(this, pids, n);
    }

    // ---- for BatchLoad: the steps of faultIn, for many pages at once

    boolean tryClaimEvicted(long pid, long evictedWord) {
        return PageState.state(evictedWord) == EVICTED && states.cas(pid, evictedWord, PageState.make(LOCKED, evictedWord));
    }

    long word(long pid) {
        return states.word(pid);
    }

    void countResident(long pid) throws IOException {
        makeRoomFor(pid);
    }

    PageIO io() {
        return io;
    }

    /** Gives the frames of evicted pages {@code pids[0..n)} back to the OS ({@link LazyRelease}). */
    void releaseAll(long[] pids, int n) throws IOException {
        release.releaseAll(pids, n);
    }

    /** Whether the claimed page {@code pid} is still in its lazily released frame, checksum intact. */
    boolean rescue(long pid) {
        return release.rescue(page(pid));
    }

    /** Misses served from a lazily released frame, without a read. */
    public long rescues() {
        return release.rescued();
    }

    /** Publishes a page loaded from the file (checksum verified). */
    void loaded(long pid, long evictedWord) {
        faults.incrementAndGet();
        states.publish(pid, PageState.make(policy.admit(pid, false), evictedWord + 1));
    }

    /** Gives up a claimed page: uncounted if it was counted, evicted again with a new version. */
    void abandon(long pid, long evictedWord, boolean counted) throws IOException {
        if (counted) {
            resident.decrementAndGet();
            Libc.madvise(page(pid), Libc.MADV_DONTNEED);
        }
        states.publish(pid, PageState.make(EVICTED, evictedWord + 1));
    }

    private void touched(long pid, int coin) {
        if (lru != null) {
            lru.touch(pid);
        }
        if (hot != null) {
            hot.touch(pid, coin);
        }
    }

    /** Whether nothing changed page {@code pid} since {@link #readLatch} returned {@code latched}. */
    public boolean validate(long pid, long latched) {
        java.lang.invoke.VarHandle.acquireFence();
        long w = states.word(pid);
        return PageState.version(w) == PageState.version(latched) && PageState.readable(w);
    }

    /** Takes the exclusive latch on page {@code pid}, faulting it in if needed. */
    public void lock(long pid) throws IOException {
        checkPid(pid);
        int spins = 0;
        while (true) {
            long w = states.word(pid);
            long st = PageState.state(w);
            if ((st == UNLOCKED || st == MARKED) && states.cas(pid, w, PageState.make(LOCKED, w))) {
                touched(pid, ThreadLocalRandom.current().nextInt());
                preserveIfCaptured(pid);
                return;
            }
            if (st == EVICTED) {
                long loaded = faultIn(pid, w);
                if (loaded != NOT_MINE && states.cas(pid, loaded, PageState.make(LOCKED, loaded))) {
                    preserveIfCaptured(pid);
                    return;
                }
                continue;
            }
            spins = backOff(spins);
        }
    }

    /** Tries once to take the exclusive latch on a resident page; false if it is locked or evicted. */
    public boolean tryLock(long pid) {
        long w = states.word(pid);
        if (!states.tryLatch(pid, w)) {
            return false;
        }
        preserveIfCaptured(pid);
        return true;
    }

    /**
     * Makes page {@code pid} resident as a fresh zeroed page, exclusively locked, without reading
     * it: for pages just allocated (beyond the end of the file, or reused from the free list).
     */
    public void lockNew(long pid) throws IOException {
        checkPid(pid);
        long w = states.word(pid);
        while (PageState.state(w) == EVICTED) {
            if (states.cas(pid, w, PageState.make(LOCKED, w))) {
                makeRoomFor(pid);
                policy.admit(pid, true);
                // Writing a page is an access, as a write through lock() is.
                touched(pid, ThreadLocalRandom.current().nextInt());
                break;
            }
            w = states.word(pid);
        }
        if (PageState.state(w) != EVICTED) {
            // A reused page still cached from its previous life: take it and clear it.
            lock(pid);
        }
        preserveIfCaptured(pid);
        page(pid).fill((byte) 0);
        dirty.mark(pid);
    }

    /** Releases the exclusive latch after modifying the page: new version, page dirty. */
    public void unlock(long pid) {
        dirty.mark(pid);
        long w = states.word(pid);
        states.publish(pid, PageState.make(UNLOCKED, w + 1));
    }

    /** Releases the exclusive latch without having modified the page (optimistic readers stay valid). */
    public void unlockUnchanged(long pid) {
        long w = states.word(pid);
        states.publish(pid, PageState.make(UNLOCKED, w));
    }

    private static int backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return spins + 1;
    }

    /**
     * Loads an evicted page and returns the word it was published with, or {@link #NOT_MINE} if
     * another thread is already loading it.
     */
    private long faultIn(long pid, long evictedWord) throws IOException {
        if (!states.cas(pid, evictedWord, PageState.make(LOCKED, evictedWord))) {
            return NOT_MINE;
        }
        boolean ok = false;
        try {
            makeRoomFor(pid);
            MemorySegment p = page(pid);
            long offset = fileOffset(pid);
            if (offset == NO_PLACE) {
                p.fill((byte) 0);
            } else if (!release.rescue(p)) {
                io.read(offset, p);
                int stored = PageFrames.storedCrc(p);
                int computed = PageFrames.computeCrc(p);
                if (stored != computed) {
                    throw new CorruptPageException(io.path(), pid, offset, stored, computed);
                }
            }
            faults.incrementAndGet();
            ok = true;
        } finally {
            if (!ok) {
                resident.decrementAndGet();
                Libc.madvise(page(pid), Libc.MADV_DONTNEED);
                states.publish(pid, PageState.make(EVICTED, evictedWord + 1));
            }
        }
        long w = PageState.make(policy.admit(pid, false), evictedWord + 1);
        states.publish(pid, w);
        return w;
    }

    /** {@link #fileOffset} of a free page whose slot compaction took back: it loads as zeros. */
    static final long NO_PLACE = -1L;

    /**
     * Where page {@code pid} is in the file, or {@link #NO_PLACE} for a free page whose slot
     * compaction took back (a stale reader, a cursor holding the id across calls, may load it and
     * finds no tree node, as it would in a reused page). Any other page without a place (never
     * written) is not one a reader may reach: the tree pointing at it is damage, reported as such.
     */
    long fileOffset(long pid) throws CorruptPageException {
        if (table == null) {
            return pid << pageShift;
        }
        long slot = table.slot(pid);
        if (slot == 0) {
            if (table.forgotten(pid)) {
                return NO_PLACE;
            }
            throw new CorruptPageException(io.path(), pid, "has no place in the file (a free page), yet a reader reached it");
        }
        return slot << pageShift;
    }

    /** Counts {@code pid} as resident, evicting others first while the cache is full. */
    private void makeRoomFor(long pid) throws IOException {
        hugePages.touching(highWater.accumulateAndGet(pid + 1, Math::max), capacityPages);
        if (resident.incrementAndGet() > capacityPages) {
            evict();
        }
    }

    private void evict() {
        evictor.evict(capacityPages);
    }

    /**
     * The moment of a checkpoint, with writers stopped: every dirty page (but {@code free} ones)
     * now belongs to the image of {@code generation} as it is, and is written later by
     * {@link #writeCaptured} while writers run (copied aside first by a writer that latches it
     * meanwhile). No eviction runs during the scan. Returns the captured page ids.
     */
    public long[] capture(long generation, BitSet free) {
        evictor.lock().lock();
        try {
            return captured.begin(generation, free, dirty, states, highWater.get());
        } finally {
            evictor.lock().unlock();
        }
    }

    /**
     * Writes the pages of the last {@link #capture} as they were captured, each to a fresh slot,
     * and ends the capture (also when it throws). Returns page id to image slot.
     */
    public Map<Long, Long> writeCaptured() throws IOException {
        return captured.writeAll(this, table, dirty);
    }

    /** A writer latched the page: if a checkpoint still needs it as captured, keep that aside first. */
    private void preserveIfCaptured(long pid) {
        if (captured.isMarked(pid)) {
            captured.preserve(pid, page(pid));
        }
    }

    /**
     * Makes page {@code pid} dirty without changing it (faulting it in if needed), so that its
     * next write-back, by eviction or a flush, moves it to the lowest free slot: compaction's way
     * of moving a page, through the same copy-on-write path as any write. Readers stay valid.
     */
    public void rewrite(long pid) throws IOException {
        lock(pid);
        dirty.mark(pid);
        unlockUnchanged(pid);
    }

    /**
     * Free page {@code pid} gives its slot back ({@link PageTable#forget}) and is never written
     * again until reused: dirty or not, its contents are garbage. Taken under the page's latch (or
     * its evicted state word), so no write-back or load of it is in flight meanwhile.
     */
    public void forget(long pid) {
        checkPid(pid);
        dirty.forget(pid);
    }

    /** Releases a latch taken by the capture writer, the page unchanged. */
    void unlatchUnchanged(long pid, long word) {
        states.publish(pid, word);
    }

    /**
     * Writes every dirty resident page to the file (not synced); returns how many. Pages locked by writers are
     * waited for, so call it when writers are quiet or accept that it waits for them. Flushing
     * does not count as an access: the pages keep their reference marks.
     */
    public long flush() throws IOException {
        return dirty.flush(highWater.get());
    }

    /**
     * Changes the most bytes of pages held in memory; shrinking shrinks the hot partition with it
     * (unpinning the coldest pages) and evicts down to the new size now.
     */
    public void resize(long cacheBytes) throws IOException {
        long pages = capacityFor(cacheBytes);
        hugePages.touching(highWater.get(), pages);
        capacityPages = pages;
        policy.resized(pages);
        while (resident.get() > capacityPages) {
            long before = resident.get();
            evict();
            if (resident.get() >= before) {
                break;
            }
        }
    }

    public long capacityBytes() {
        return capacityPages << pageShift;
    }

    public long capacityPages() {
        return capacityPages;
    }

    public long residentPages() {
        return resident.get();
    }

    /** Pages held in the hot partition (never evicted while there). */
    public long pinnedPages() {
        return policy.pinnedPages();
    }

    /** The pages in memory now, hottest first (see {@link ReplacementPolicy#residentByHeat}); for the warm restart's list. */
    public long[] residentByHeat(long pidCount, int max) {
        return policy.residentByHeat(pidCount, max);
    }

    /** Whether page {@code pid} is in memory now. */
    public boolean isResident(long pid) {
        return PageState.state(states.word(pid)) != EVICTED;
    }

    /** Page accesses so far, estimated from a 1-in-64 sample. */
    public long accesses() {
        return sampledAccesses.sum() * ACCESS_SAMPLE;
    }

    /** Share of page accesses served without reading the file (estimated from sampled accesses). */
    public double hitRatio() {
        double accesses = accesses();
        if (accesses <= 0) {
            return 1.0;
        }
        return Math.max(0.0, Math.min(1.0, 1.0 - faults.get() / accesses));
    }

    /**
     * Off-heap bytes held: pages in memory, the state word and dirty byte of every page touched,
     * and the replacement policy's lists and per-page bytes.
     */
    public long offHeapBytes() {
        long pages = highWater.get();
        return (resident.get() << pageShift) + pages * (Long.BYTES + 1) + policy.offHeapBytes(pages) + scratch.heldBytes();
    }

    public long faults() {
        return faults.get();
    }

    public long evictions() {
        return evictor.evictions();
    }

    public long pageWrites() {
        return dirty.writes();
    }

    ReplacementPolicy policy() {
        return policy;
    }

    /** Frees every mapping. The caller guarantees nobody uses the pool any more (and flushed first). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (LazyRelease r = release) {
            policy.close();
            scratch.close();
        } finally {
            Reservations.release(region, states.segment(), dirty.segment(), captured.segment());
        }
    }
}
