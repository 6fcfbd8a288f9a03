package io.lightningdb.io;

import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.LibUring;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The rings of one {@link UringPageIO}. A ring is not thread-safe, so a call leases one for its
 * duration: it takes an idle ring, or creates one while fewer than {@code maxRings} exist, or waits
 * for one to come back. The semaphore holds one permit per ring that may exist, so a thread
 * holding a permit either finds an idle ring or may create one.
 *
 * <p>Buffer registration is applied lazily: the pool records the wished-for {@link
 * RegisteredBuffers}, and a ring whose registration differs re-registers when it is leased (and
 * idle rings at once in {@link #applyToIdle()}), so no ring is ever re-registered while requests
 * are in flight on it.
 */
final class UringRingPool {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.io");

    private final LibUring lib;
    private final int depth;
    private final int maxRings;
    private final Path path;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<PooledUringRing> idle = new ConcurrentLinkedDeque<>();
    /** Every ring ever created and not yet closed, for close(). */
    private final List<PooledUringRing> all = new CopyOnWriteArrayList<>();
    private final AtomicBoolean loggedCreateFailure = new AtomicBoolean();
    private final AtomicBoolean loggedRegisterFailure = new AtomicBoolean();
    /** The buffers every ring should have registered (null: none). */
    private volatile RegisteredBuffers wanted;
    /** The registration that failed on some ring; rings then use plain requests for it. */
    private volatile RegisteredBuffers failed;

    UringRingPool(LibUring lib, int depth, int maxRings, Path path) {
        this.lib = lib;
        this.depth = depth;
        this.maxRings = maxRings;
        this.path = path;
        this.permits = new Semaphore(maxRings);
    }

    int maxRings() {
        return maxRings;
    }

    /** Rings created so far (lazily, up to {@link #maxRings()}). */
    int ringCount() {
        return all.size();
    }

    /** Fixed-buffer requests issued on all current rings (call when no ring is leased). */
    long fixedIssued() {
        long n = 0;
        for (PooledUringRing r : all) {
            n += r.fixedIssued;
        }
        return n;
    }

    /** Creates the first ring now, so that open() fails early when io_uring cannot set one up. */
    void prime() throws IOCallException {
        release(acquire());
    }

    /** Leases a ring; pair with {@link #release}. Blocks while all rings are leased. */
    PooledUringRing acquire() throws IOCallException {
        while (true) {
            permits.acquireUninterruptibly();
            PooledUringRing r = idle.pollFirst();
            if (r == null) {
                try {
                    r = new PooledUringRing(lib, depth);
                    all.add(r);
                } catch (IOCallException | RuntimeException e) {
                    if (liveRings() == 0) {
                        permits.release();
                        throw e;
                    }
                    // Keep working with the rings we have: this permit is retired, so later
                    // callers wait for a ring instead of failing to create one again.
                    if (loggedCreateFailure.compareAndSet(false, true)) {
                        LOG.log(Level.WARNING, "{0}: cannot create another io_uring ring ({1}); continuing with {2}",
                                path, e.getMessage(), liveRings());
                    }
                    continue;
                }
            }
            applyRegistration(r);
            return r;
        }
    }

    /** Returns a leased ring. A broken ring is closed and its permit freed for a fresh ring. */
    void release(PooledUringRing r) {
        if (r.broken) {
            all.remove(r);
            r.close();
        } else {
            r.single.clear();
            idle.addFirst(r);
        }
        permits.release();
    }

    private int liveRings() {
        return all.size();
    }

    /** Records the registration every ring should have; rings apply it on their next lease. */
    void want(RegisteredBuffers buffers) {
        wanted = buffers;
    }

    RegisteredBuffers wanted() {
        return wanted;
    }

    /** Whether the wanted buffers are registered (none failed to register). */
    boolean registered() {
        RegisteredBuffers w = wanted;
        return w != null && w != failed;
    }

    /** Applies the wanted registration to every idle ring now (leasing each properly). */
    void applyToIdle() throws IOCallException {
        for (int i = all.size(); i > 0 && permits.tryAcquire(); i--) {
            PooledUringRing r = idle.pollFirst();
            if (r == null) {
                permits.release();
                return;
            }
            applyRegistration(r);
            idle.addLast(r); // rotate, so the next iteration takes another ring
            permits.release();
        }
    }

    /** Brings a leased ring's registered buffers in line with {@link #wanted}; never fails the caller. */
    private void applyRegistration(PooledUringRing r) {
        RegisteredBuffers w = wanted;
        if (r.attempted == w) {
            return;
        }
        r.attempted = w;
        try {
            if (r.applied != null) {
                r.applied = null;
                r.ring.unregisterBuffers();
            }
            if (w != null && w.size() > 0) {
                r.ring.registerBuffers(w.pieces());
                r.applied = w;
            }
        } catch (IOCallException | RuntimeException e) {
            failed = w;
            if (loggedRegisterFailure.compareAndSet(false, true)) {
                // ENOMEM: the pinned pages exceed RLIMIT_MEMLOCK (each ring counts them again).
                String hint = e instanceof IOCallException ic && ic.errno() == Errno.ENOMEM
                        ? "; registered buffers are locked memory: raise ulimit -l (RLIMIT_MEMLOCK)"
                        : "";
                LOG.log(Level.WARNING, "{0}: io_uring buffer registration failed ({1}); using plain READ/WRITE{2}",
                        path, e.getMessage(), hint);
            }
        }
    }

    /** Closes every ring. Only after the owner's close guard has seen all calls finish. */
    void closeAll() {
        for (PooledUringRing r : all) {
            r.close();
        }
        all.clear();
        idle.clear();
    }
}
