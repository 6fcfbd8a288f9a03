package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every policy on synthetic traces over a real pool: capacity, scans, pinning, write-back, resizing. */
class ReplacementPoliciesTest {
    static final int CAPACITY = 128;

    static CacheConfig config(PolicyKind kind, boolean scanResistance, boolean pin, int threshold, double ratio) {
        return new CacheConfig(kind, scanResistance, pin, threshold, ratio);
    }

    @ParameterizedTest
    @EnumSource(PolicyKind.class)
    void capacityIsNeverExceededOnARandomTrace(PolicyKind kind) throws Exception {
        SplittableRandom rnd = Seeds.random("capacityIsNeverExceededOnARandomTrace(" + kind + ")");
        for (int variant = 0; variant < 3; variant++) {
            CacheConfig c = config(kind, variant != 1, variant == 2, 4, 0.3);
            try (PoolFixture f = PoolFixture.create(c, 64, 600)) {
                int[] versions = new int[600];
                for (int op = 0; op < 6000; op++) {
                    // 70% on 40 hot pages, the rest anywhere; one access in ten a write.
                    int pid = rnd.nextInt(10) < 7 ? rnd.nextInt(40) : rnd.nextInt(600);
                    if (rnd.nextInt(10) == 0) {
                        f.write(pid, ++versions[pid], false);
                    } else {
                        f.read(pid); // checks the capacity and the hot partition's cap after the call
                    }
                }
                assertTrue(f.pool.evictions() > 1000, c + ": the trace must evict, did " + f.pool.evictions());
                if (c.pinHotPages()) {
                    assertTrue(f.pool.pinnedPages() > 0, c + ": the hot pages must have been pinned");
                }
                for (int pid = 0; pid < 600; pid += 7) {
                    assertEquals(versions[pid], f.version(pid), c + ": page " + pid);
                }
            }
        }
    }

    /** The pool may exceed its capacity only by the pages being faulted in at that moment. */
    @ParameterizedTest
    @EnumSource(PolicyKind.class)
    void concurrentReadersAndWritersStayWithinCapacity(PolicyKind kind) throws Exception {
        long seed = Seeds.seed("concurrentReadersAndWritersStayWithinCapacity(" + kind + ")");
        int threads = 4;
        try (PoolFixture f = PoolFixture.create(config(kind, true, true, 4, 0.3), 32, 400)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong maxResident = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                SplittableRandom rnd = new SplittableRandom(seed + t);
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int op = 0; op < 3000 && !stop.get(); op++) {
                            long pid = rnd.nextInt(4) == 0 ? rnd.nextInt(400) : rnd.nextInt(30);
                            if (rnd.nextInt(8) == 0) {
                                f.pool.lock(pid);
                                int v = f.pool.page(pid).get(java.lang.foreign.ValueLayout.JAVA_INT, 16);
                                PoolFixture.fill(f.pool.page(pid), pid, v + 1);
                                f.pool.unlock(pid);
                            } else {
                                while (true) {
                                    long w = f.pool.readLatch(pid);
                                    long stamped = f.pool.page(pid).get(java.lang.foreign.ValueLayout.JAVA_LONG, 8);
                                    if (f.pool.validate(pid, w)) {
                                        if (stamped != pid) {
                                            throw new AssertionError("page " + pid + " read as page " + stamped);
                                        }
                                        break;
                                    }
                                }
                            }
                            maxResident.accumulateAndGet(f.pool.residentPages(), Math::max);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                        stop.set(true);
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            assertTrue(failures.isEmpty(), () -> kind + " (seed " + seed + "): " + failures);
            assertTrue(maxResident.get() <= 32 + threads, kind + ": resident pages peaked at " + maxResident.get());
            assertTrue(f.pool.residentPages() <= 32, kind + ": resident after the threads ended: " + f.pool.residentPages());
            for (int pid = 0; pid < 400; pid += 3) {
                f.version(pid); // contents whole after all the evictions
            }
        }
    }

    /** Warm a hot set, then one long scan that never touches it: how much of the hot set is still cached. */
    static double hotSetHitRatioAfterScan(PolicyKind kind, boolean scanResistance) throws Exception {
        int hot = 24;
        int pages = 2048;
        try (PoolFixture f = PoolFixture.create(config(kind, scanResistance, false, 1000, 0.3), CAPACITY, pages)) {
            for (int round = 0; round < 4; round++) {
                for (int pid = 0; pid < hot; pid++) {
                    f.read(pid);
                }
            }
            for (int pid = hot; pid < pages; pid++) {
                f.read(pid);
            }
            int hits = 0;
            for (int pid = 0; pid < hot; pid++) {
                hits += f.read(pid) ? 1 : 0;
            }
            return (double) hits / hot;
        }
    }

    @ParameterizedTest
    @EnumSource(PolicyKind.class)
    void hotSetSurvivesAScanWithScanResistance(PolicyKind kind) throws Exception {
        double on = hotSetHitRatioAfterScan(kind, true);
        double off = hotSetHitRatioAfterScan(kind, false);
        System.out.printf("%s: hot-set hit ratio after a scan of 16x the cache: %.2f with scan resistance, %.2f without%n",
                kind, on, off);
        assertTrue(on >= 0.9, kind + " with scan resistance kept " + on + " of the hot set");
        if (kind == PolicyKind.ARC) {
            assertTrue(off >= 0.9, "ARC is scan resistant by construction, kept " + off);
        } else {
            assertTrue(off <= 0.1, kind + " without scan resistance should be flushed by the scan, kept " + off);
        }
    }

    @ParameterizedTest
    @EnumSource(PolicyKind.class)
    void pinnedPagesSurviveAScanAndTheCapHolds(PolicyKind kind) throws Exception {
        // Scan resistance off, so only pinning can save the hot pages from the scan.
        CacheConfig c = config(kind, false, true, 8, 0.1); // cap: 12 of 128 pages
        try (PoolFixture f = PoolFixture.create(c, CAPACITY, 3000)) {
            for (int round = 0; round < 20; round++) {
                for (int pid = 0; pid < 10; pid++) {
                    f.read(pid);
                }
            }
            for (int pid = 10; pid < 2000; pid++) {
                f.read(pid);
            }
            assertEquals(10, f.pool.pinnedPages(), kind + ": the 10 hot pages are pinned");
            for (int pid = 0; pid < 10; pid++) {
                assertTrue(f.pool.policy().isPinned(pid) && f.pool.isResident(pid), kind + ": hot page " + pid);
            }
            // A new, larger hot set: the partition fills to its cap and takes the hotter pages.
            for (int round = 0; round < 30; round++) {
                for (int pid = 100; pid < 130; pid++) {
                    f.read(pid);
                    f.read(pid);
                    f.read(pid);
                }
                for (int pid = 2000 + round * 30; pid < 2030 + round * 30; pid++) {
                    f.read(pid);
                }
            }
            int oldHot = 0;
            int newHot = 0;
            for (int pid = 0; pid < 130; pid++) {
                oldHot += pid < 10 && f.pool.policy().isPinned(pid) ? 1 : 0;
                newHot += pid >= 100 && f.pool.policy().isPinned(pid) ? 1 : 0;
            }
            System.out.println(kind + ": pinned after the hot set moved: " + oldHot + " old, " + newHot + " new");
            assertEquals(oldHot + newHot, f.pool.pinnedPages(), kind + ": only hot pages are pinned");
            if (kind == PolicyKind.ARC) {
                // ARC keeps the new hot pages in T2, where its hand does not reach them: they are never
                // at risk, so never considered for pinning; the old ones keep their place.
                assertTrue(oldHot + newHot >= 10, kind + ": " + oldHot + " old and " + newHot + " new pinned");
            } else {
                assertEquals(12, f.pool.pinnedPages(), kind + ": the partition is full");
                assertTrue(newHot >= 10, kind + ": the pinned pages follow the hot set, " + newHot + " of 12 from it");
            }
            // Shrinking the cache shrinks the partition: 32 pages hold at most 3 pinned ones.
            f.pool.resize(32L * PoolFixture.PAGE);
            assertTrue(f.pool.residentPages() <= 32 && f.pool.pinnedPages() == 3,
                    kind + ": after shrinking, resident " + f.pool.residentPages() + ", pinned " + f.pool.pinnedPages());
            for (int pid = 3000 - 200; pid < 3000; pid++) {
                f.read(pid);
            }
            f.pool.resize(256L * PoolFixture.PAGE);
            for (int pid = 0; pid < 600; pid++) {
                f.read(pid);
            }
            // An eviction round frees up to a 64th of the cache at once (one release call for all).
            long resident = f.pool.residentPages();
            assertTrue(resident <= 256 && resident >= 256 - 256 / 64, kind + ": grown back, resident " + resident);
        }
    }

    @ParameterizedTest
    @EnumSource(PolicyKind.class)
    void evictedDirtyPagesAreWrittenBackAndReadBackIdentically(PolicyKind kind) throws Exception {
        SplittableRandom rnd = Seeds.random("evictedDirtyPagesAreWrittenBack(" + kind + ")");
        CacheConfig c = config(kind, true, true, 4, 0.3);
        PoolFixture f = PoolFixture.create(c, 32, 10);
        try {
            int[] versions = new int[300];
            for (int pid = 10; pid < 300; pid++) {
                f.write(pid, 1, true); // new pages, only ever on disk through eviction
                versions[pid] = 1;
            }
            for (int i = 0; i < 600; i++) {
                int pid = rnd.nextInt(300);
                versions[pid]++;
                f.write(pid, versions[pid], false);
            }
            assertTrue(f.pool.evictions() > 500 && f.pool.pageWrites() > 500,
                    kind + ": evictions " + f.pool.evictions() + ", writes " + f.pool.pageWrites());
            for (int pid = 0; pid < 300; pid++) {
                assertEquals(versions[pid], f.version(pid), kind + ": page " + pid + " read back");
            }
            f.pool.flush();
            f = f.reopen(c);
            for (int pid = 0; pid < 300; pid++) {
                assertEquals(versions[pid], f.version(pid), kind + ": page " + pid + " from the file");
            }
        } finally {
            f.close();
        }
    }
}
