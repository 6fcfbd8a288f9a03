package io.lightningdb.cache;

import static io.lightningdb.cache.PageState.EVICTED;
import static io.lightningdb.cache.PageState.LOCKED;
import static io.lightningdb.cache.PageState.MARKED;
import static io.lightningdb.cache.PageState.UNLOCKED;

import io.lightningdb.io.PageBatch;
import io.lightningdb.io.PageIO;
import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The buffer pool (vmcache design, see package docs): one virtual mapping for every page of the
 * file, one state word per page that is both residency and optimistic latch, CLOCK eviction with
 * madvise.
 *
 * <p>Readers: {@code long w = readLatch(pid); ...read page(pid)...; if (!validate(pid, w)) restart}.
 * The only shared write a reader can make is faulting a page in, or taking back the clock's mark on
 * a page it touches (once per page per clock revolution, and only when the cache is full).
 * Writers: {@code lock(pid); ...modify...; unlock(pid)}; lock order is the caller's business
 * (the B-link tree never waits for a lock while holding one to its left or below).
 *
 * <pre>{@code
 * try (BufferPool pool = new BufferPool(pageIO, 4096, 1 << 20, 64L << 20)) {
 *     pool.lockNew(7);                       // a fresh page, zeroed, exclusively locked
 *     pool.page(7).set(JAVA_LONG, 8, 42L);
 *     pool.unlock(7);
 *     long w = pool.readLatch(7);
 *     long v = pool.page(7).get(JAVA_LONG, 8);
 *     boolean ok = pool.validate(7, w);      // false if a writer intervened: retry
 * }
 * }</pre>
 */
public final class BufferPool implements AutoCloseable {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    /** Victims gathered per eviction round: one batch of write-backs, amortizing the clock walk. */
    private static final int EVICT_BATCH = 32;
    private static final int SPINS_BEFORE_YIELD = 64;

    private final PageIO io;
    private final int pageSize;
    private final int pageShift;
    private final long maxPages;
    private final MemorySegment region;
    private final MemorySegment states;
    private final MemorySegment dirty;
    private volatile long capacityPages;
    private final AtomicLong resident = new AtomicLong();
    /** One past the highest page id ever made resident: where the clock hand wraps. */
    private final AtomicLong highWater = new AtomicLong();
    private final ReentrantLock evictLock = new ReentrantLock();
    private long clockHand;
    private final PageBatch writeBack = new PageBatch(EVICT_BATCH);
    private final long[] victims = new long[EVICT_BATCH];
    private final AtomicLong faults = new AtomicLong();
    /** Page accesses, counted 1 in {@link #ACCESS_SAMPLE}: the reader's coin is thread-local state. */
    private final java.util.concurrent.atomic.LongAdder sampledAccesses = new java.util.concurrent.atomic.LongAdder();
    private static final int ACCESS_SAMPLE = 64;
    private final AtomicLong evictions = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param io the page file
     * @param pageSize bytes per page (the io's page size)
     * @param maxPages the most pages the file may ever have: the size of the virtual reservation
     * @param cacheBytes the most bytes of pages held in memory
     */
    public BufferPool(PageIO io, int pageSize, long maxPages, long cacheBytes) throws IOException {
        if (pageSize != io.pageSize()) {
            throw new IllegalArgumentException("pageSize " + pageSize + " differs from the file's " + io.pageSize());
        }
        this.io = io;
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.maxPages = maxPages;
        this.capacityPages = capacityFor(cacheBytes);
        int flags = Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE;
        int prot = Libc.PROT_READ | Libc.PROT_WRITE;
        // Reservations, not allocations: NORESERVE anonymous memory costs nothing until touched.
        this.region = Libc.mmap(maxPages << pageShift, prot, flags, -1, 0, null);
        MemorySegment s = null;
        MemorySegment d = null;
        try {
            s = Libc.mmap(maxPages * Long.BYTES, prot, flags, -1, 0, null);
            d = Libc.mmap(maxPages, prot, flags, -1, 0, null);
        } catch (IOException | RuntimeException e) {
            Libc.munmap(region);
            if (s != null) {
                Libc.munmap(s);
            }
            throw e;
        }
        this.states = s;
        this.dirty = d;
        // With transparent huge pages on ("always"), touching one 4 KiB page of the reservation
        // would make 2 MiB resident, and madvise(DONTNEED) of one page would not give it back:
        // the cache would hold many times cacheSize. Page-granular residency needs small pages.
        try {
            Libc.madvise(region, Libc.MADV_NOHUGEPAGE);
        } catch (IOException notSupported) {
            // Kernels without THP refuse the advice (EINVAL): then there is nothing to turn off.
        }
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

    /** The memory of page {@code pid}: always mapped; its contents are only meaningful under a latch. */
    public MemorySegment page(long pid) {
        return region.asSlice(pid << pageShift, pageSize);
    }

    private long word(long pid) {
        return (long) WORD.getAcquire(states, pid << 3);
    }

    private boolean cas(long pid, long expect, long update) {
        return WORD.compareAndSet(states, pid << 3, expect, update);
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
        checkPid(pid);
        if ((java.util.concurrent.ThreadLocalRandom.current().nextInt() & (ACCESS_SAMPLE - 1)) == 0) {
            sampledAccesses.increment();
        }
        int spins = 0;
        while (true) {
            long w = word(pid);
            long st = PageState.state(w);
            if (st == UNLOCKED) {
                return w;
            }
            if (st == MARKED) {
                // Touched again: take back the clock's mark (version unchanged, readers unaffected).
                cas(pid, w, PageState.make(UNLOCKED, w));
                continue;
            }
            if (st == EVICTED) {
                faultIn(pid, w);
                continue;
            }
            spins = backOff(spins);
        }
    }

    /** Whether nothing changed page {@code pid} since {@link #readLatch} returned {@code latched}. */
    public boolean validate(long pid, long latched) {
        VarHandle.acquireFence();
        long w = word(pid);
        return PageState.version(w) == PageState.version(latched) && PageState.readable(w);
    }

    /** Takes the exclusive latch on page {@code pid}, faulting it in if needed. */
    public void lock(long pid) throws IOException {
        checkPid(pid);
        int spins = 0;
        while (true) {
            long w = word(pid);
            long st = PageState.state(w);
            if ((st == UNLOCKED || st == MARKED) && cas(pid, w, PageState.make(LOCKED, w))) {
                return;
            }
            if (st == EVICTED) {
                faultIn(pid, w);
                continue;
            }
            spins = backOff(spins);
        }
    }

    /** Tries once to take the exclusive latch on a resident page; false if it is locked or evicted. */
    public boolean tryLock(long pid) {
        long w = word(pid);
        long st = PageState.state(w);
        return (st == UNLOCKED || st == MARKED) && cas(pid, w, PageState.make(LOCKED, w));
    }

    /**
     * Makes page {@code pid} resident as a fresh zeroed page, exclusively locked, without reading
     * it: for pages just allocated (beyond the end of the file, or reused from the free list).
     */
    public void lockNew(long pid) throws IOException {
        checkPid(pid);
        while (true) {
            long w = word(pid);
            long st = PageState.state(w);
            if (st == EVICTED) {
                if (!cas(pid, w, PageState.make(LOCKED, w))) {
                    continue;
                }
                makeRoomFor(pid);
                page(pid).fill((byte) 0);
                dirty.set(ValueLayout.JAVA_BYTE, pid, (byte) 1);
                return;
            }
            // A reused page still cached from its previous life: take it and clear it.
            lock(pid);
            page(pid).fill((byte) 0);
            dirty.set(ValueLayout.JAVA_BYTE, pid, (byte) 1);
            return;
        }
    }

    /** Releases the exclusive latch after modifying the page: new version, page dirty. */
    public void unlock(long pid) {
        dirty.set(ValueLayout.JAVA_BYTE, pid, (byte) 1);
        long w = word(pid);
        WORD.setRelease(states, pid << 3, PageState.make(UNLOCKED, w + 1));
    }

    /** Releases the exclusive latch without having modified the page (optimistic readers stay valid). */
    public void unlockUnchanged(long pid) {
        long w = word(pid);
        WORD.setRelease(states, pid << 3, PageState.make(UNLOCKED, w));
    }

    private static int backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return spins + 1;
    }

    /** Loads an evicted page, unless another thread is already doing so. */
    private void faultIn(long pid, long evictedWord) throws IOException {
        if (!cas(pid, evictedWord, PageState.make(LOCKED, evictedWord))) {
            return;
        }
        boolean ok = false;
        try {
            makeRoomFor(pid);
            MemorySegment p = page(pid);
            long offset = pid << pageShift;
            io.read(offset, p);
            int stored = PageFrames.storedCrc(p);
            int computed = PageFrames.computeCrc(p);
            if (stored != computed) {
                throw new CorruptPageException(io.path(), pid, offset, stored, computed);
            }
            faults.incrementAndGet();
            ok = true;
        } finally {
            if (ok) {
                WORD.setRelease(states, pid << 3, PageState.make(UNLOCKED, evictedWord + 1));
            } else {
                dropResident(pid);
                WORD.setRelease(states, pid << 3, PageState.make(EVICTED, evictedWord + 1));
            }
        }
    }

    /** Counts {@code pid} as resident, evicting others first while the cache is full. */
    private void makeRoomFor(long pid) throws IOException {
        highWater.accumulateAndGet(pid + 1, Math::max);
        if (resident.incrementAndGet() > capacityPages) {
            evict();
        }
    }

    private void dropResident(long pid) throws IOException {
        resident.decrementAndGet();
        Libc.madvise(page(pid), Libc.MADV_DONTNEED);
    }

    /**
     * One CLOCK round: marks unlocked pages, evicts marked ones (a page survives one full
     * revolution after its last touch), writing dirty victims back in one batch.
     */
    private void evict() throws IOException {
        evictLock.lock();
        try {
            int n = 0;
            long limit = highWater.get();
            long target = resident.get() - capacityPages;
            // Two revolutions mark everything and then find it still marked; beyond that every page
            // is locked (or in use by this very operation): tolerate the overshoot.
            long budget = 2 * limit + EVICT_BATCH;
            for (long step = 0; step < budget && n < EVICT_BATCH && n < Math.max(target, 1); step++) {
                if (clockHand >= limit) {
                    clockHand = 0;
                }
                long pid = clockHand++;
                long w = word(pid);
                long st = PageState.state(w);
                if (st == UNLOCKED) {
                    cas(pid, w, PageState.make(MARKED, w));
                } else if (st == MARKED && cas(pid, w, PageState.make(LOCKED, w))) {
                    victims[n++] = pid;
                }
            }
            if (n > 0) {
                writeBackAndRelease(n);
            }
        } finally {
            evictLock.unlock();
        }
    }

    private void writeBackAndRelease(int n) throws IOException {
        writeBack.clear();
        for (int i = 0; i < n; i++) {
            long pid = victims[i];
            if (dirty.get(ValueLayout.JAVA_BYTE, pid) != 0) {
                MemorySegment p = page(pid);
                PageFrames.seal(p);
                writeBack.write(pid << pageShift, p);
            }
        }
        IOException failure = null;
        try {
            io.execute(writeBack);
            writes.addAndGet(writeBack.size());
        } catch (IOException e) {
            failure = e;
        }
        for (int i = 0; i < n; i++) {
            long pid = victims[i];
            long w = word(pid);
            if (failure != null) {
                // Keep dirty data in memory rather than lose it; the error goes to the caller.
                WORD.setRelease(states, pid << 3, PageState.make(UNLOCKED, w));
                continue;
            }
            dirty.set(ValueLayout.JAVA_BYTE, pid, (byte) 0);
            Libc.madvise(page(pid), Libc.MADV_DONTNEED);
            resident.decrementAndGet();
            evictions.incrementAndGet();
            WORD.setRelease(states, pid << 3, PageState.make(EVICTED, w + 1));
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Pages one flush write may cover: a run of adjacent dirty pages is one I/O (they are adjacent in memory too). */
    private static final int MAX_RUN_BYTES = 1 << 20;

    /**
     * Writes every dirty resident page to the file (not synced). Adjacent dirty pages are written
     * as one request (the reservation maps page ids to addresses linearly), up to 1 MiB, and up to
     * {@value #EVICT_BATCH} requests are in flight at once. Pages locked by writers are waited for,
     * so call it when writers are quiet or accept that it waits for them.
     */
    public void flush() throws IOException {
        long limit = highWater.get();
        int maxRun = Math.max(1, MAX_RUN_BYTES >> pageShift);
        PageBatch batch = new PageBatch(EVICT_BATCH);
        long[] locked = new long[EVICT_BATCH * maxRun];
        int n = 0;
        long runStart = -1;
        int runLen = 0;
        for (long pid = 0; pid < limit; pid++) {
            boolean take = dirty.get(ValueLayout.JAVA_BYTE, pid) != 0 && PageState.state(word(pid)) != EVICTED;
            if (take) {
                lock(pid);
                if (dirty.get(ValueLayout.JAVA_BYTE, pid) == 0) {
                    unlockUnchanged(pid);
                    take = false;
                }
            }
            if (runLen > 0 && (!take || runLen == maxRun)) {
                batch.write(runStart << pageShift, region.asSlice(runStart << pageShift, (long) runLen << pageShift));
                runLen = 0;
                if (batch.size() == EVICT_BATCH) {
                    flushBatch(batch, locked, n);
                    n = 0;
                }
            }
            if (take) {
                PageFrames.seal(page(pid));
                if (runLen == 0) {
                    runStart = pid;
                }
                runLen++;
                locked[n++] = pid;
            }
        }
        if (runLen > 0) {
            batch.write(runStart << pageShift, region.asSlice(runStart << pageShift, (long) runLen << pageShift));
        }
        flushBatch(batch, locked, n);
    }

    private void flushBatch(PageBatch batch, long[] locked, int n) throws IOException {
        try {
            io.execute(batch);
            writes.addAndGet(n);
            for (int i = 0; i < n; i++) {
                dirty.set(ValueLayout.JAVA_BYTE, locked[i], (byte) 0);
            }
        } finally {
            for (int i = 0; i < n; i++) {
                unlockUnchanged(locked[i]);
            }
            batch.clear();
        }
    }

    /** Changes the most bytes of pages held in memory; shrinking evicts down to it now. */
    public void resize(long cacheBytes) throws IOException {
        capacityPages = capacityFor(cacheBytes);
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

    public long residentPages() {
        return resident.get();
    }

    /** Share of page accesses served without reading the file (estimated from sampled accesses). */
    public double hitRatio() {
        double accesses = (double) sampledAccesses.sum() * ACCESS_SAMPLE;
        if (accesses <= 0) {
            return 1.0;
        }
        return Math.max(0.0, Math.min(1.0, 1.0 - faults.get() / accesses));
    }

    /** Off-heap bytes held: pages in memory plus the state word and dirty byte of every page touched. */
    public long offHeapBytes() {
        return (resident.get() << pageShift) + highWater.get() * (Long.BYTES + 1);
    }

    public long faults() {
        return faults.get();
    }

    public long evictions() {
        return evictions.get();
    }

    public long pageWrites() {
        return writes.get();
    }

    /** Frees every mapping. The caller guarantees nobody uses the pool any more (and flushed first). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Libc.munmap(region);
        } finally {
            try {
                Libc.munmap(states);
            } finally {
                Libc.munmap(dirty);
            }
        }
    }
}
