package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Optimistic readers and cursors while writers delete whole ranges (so leaves empty and merge,
 * and inner nodes after them) and fill them again. Every fourth key is "stable": written before
 * the storm and never touched, so every get must find it and every scan, forward or reverse,
 * must return exactly the stable keys of its range among the others, in order, with their
 * read-ahead loading leaves that are split, merged or freed meanwhile.
 */
class MergeStressTest {
    static final int KEYS = 40_000;
    static final long MILLIS = 4000;

    static byte[] key(int n) {
        return ByteBuffer.allocate(4).putInt(n).array();
    }

    static boolean stable(int n) {
        return n % 4 == 0;
    }

    static byte[] value(int n, int len) {
        byte[] v = new byte[Math.max(4, len)];
        ByteBuffer.wrap(v).putInt(0, n);
        return v;
    }

    static void check(byte[] k, byte[] v) {
        int n = ByteBuffer.wrap(k).getInt();
        if (v == null || v.length < 4 || ByteBuffer.wrap(v).getInt(0) != n) {
            throw new AssertionError("key " + n + " has a value not written for it");
        }
    }

    @Test
    void readersAndCursorsSeeNothingLostWhileRangesEmptyAndMerge() throws Exception {
        long seed = Seeds.seed("MergeStressTest");
        // A cache smaller than the data, so scans miss and read ahead (readAheadPages) among evictions and merges.
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).cacheSize(2L << 20)
                .readAheadPages(64).build();
        try (Database db = Database.open(TestDirs.fresh("merge-stress"), cfg)) {
            for (int n = 0; n < KEYS; n++) {
                db.put(key(n), value(n, 40));
            }
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            AtomicLong cleared = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                SplittableRandom rnd = new SplittableRandom(seed + w);
                threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    try {
                        while (!stop.get()) {
                            // Empty a range of up to 2000 keys (but its stable ones), then maybe refill it.
                            int from = rnd.nextInt(KEYS);
                            int to = Math.min(KEYS, from + 1 + rnd.nextInt(2000));
                            for (int n = from; n < to; n++) {
                                if (!stable(n)) {
                                    db.delete(key(n));
                                }
                            }
                            cleared.incrementAndGet();
                            if (rnd.nextBoolean()) {
                                for (int n = from; n < to; n++) {
                                    if (!stable(n)) {
                                        db.put(key(n), value(n, rnd.nextInt(120)));
                                    }
                                }
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (int r = 0; r < 2; r++) {
                SplittableRandom rnd = new SplittableRandom(seed + 100 + r);
                threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                    try {
                        while (!stop.get()) {
                            int op = rnd.nextInt(3);
                            if (op == 0) {
                                int n = rnd.nextInt(KEYS / 4) * 4;
                                check(key(n), db.get(key(n)));
                            } else {
                                int from = rnd.nextInt(KEYS);
                                int to = Math.min(KEYS, from + rnd.nextInt(3000));
                                scanAndCheck(db, from, to, op == 2);
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            Thread.sleep(MILLIS);
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "failures (seed " + seed + "): " + failures);
            assertTrue(reads.get() > 100 && cleared.get() > 10, "progress: reads " + reads + ", ranges cleared " + cleared);
            assertEquals(List.of(), db.verify(), "tree invariants after the storm");
            // Values are inline (no overflow pages), so free pages can only come from merges.
            assertTrue(db.stats().freePages() > 0, "the storm must have merged nodes: " + db.stats());
            scanAndCheck(db, 0, KEYS, false);
            scanAndCheck(db, 0, KEYS, true);
        }
    }

    /** Scans [from, to): sorted, values match keys, and exactly the stable keys of the range appear. */
    static void scanAndCheck(Database db, int from, int to, boolean reverse) {
        int expectStable = 0;
        for (int n = from; n < to; n++) {
            expectStable += stable(n) ? 1 : 0;
        }
        int seenStable = 0;
        byte[] prev = null;
        try (Cursor c = reverse ? db.scanReverse(key(from), key(to)) : db.scan(key(from), key(to))) {
            while (c.next()) {
                byte[] k = c.key();
                if (prev != null && Integer.signum(Arrays.compareUnsigned(prev, k)) != (reverse ? 1 : -1)) {
                    throw new AssertionError("scan out of order at " + ByteBuffer.wrap(k).getInt());
                }
                check(k, c.value());
                int n = ByteBuffer.wrap(k).getInt();
                if (n < from || n >= to) {
                    throw new AssertionError("key " + n + " outside [" + from + ", " + to + ")");
                }
                seenStable += stable(n) ? 1 : 0;
                prev = k;
            }
        }
        if (seenStable != expectStable) {
            throw new AssertionError((reverse ? "reverse " : "") + "scan of [" + from + ", " + to + ") saw " + seenStable
                    + " of its " + expectStable + " stable keys");
        }
    }
}
