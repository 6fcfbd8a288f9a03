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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Writers and readers on overlapping keys with a cache far smaller than the data, so pages are
 * evicted and reloaded under optimistic readers, with each replacement policy (pinning on, so
 * the hot partition is exercised too). Every value names the key it was written for;
 * readers check that, scans check order, multiGet checks batches are seen whole, and the tree's
 * invariants are verified at the end.
 */
class ConcurrencyStressTest {
    static final int KEYS = 20_000;
    static final long MILLIS = 3000;

    static byte[] key(int n) {
        return ("k" + Integer.toString(n * 7919 % 100_000, 36)).getBytes();
    }

    /** Value: the key's bytes, then a batch id (8 bytes), then filler of a random length. */
    static byte[] value(byte[] key, long batchId, int filler) {
        ByteBuffer b = ByteBuffer.allocate(key.length + 8 + filler);
        b.put(key).putLong(batchId);
        return b.array();
    }

    static void checkValue(byte[] key, byte[] v) {
        if (v == null) {
            return;
        }
        if (v.length < key.length + 8 || !Arrays.equals(v, 0, key.length, key, 0, key.length)) {
            throw new AssertionError("value of " + new String(key) + " was not written for it: " + new String(v, 0, Math.min(v.length, 40)));
        }
    }

    static long batchId(byte[] key, byte[] v) {
        return ByteBuffer.wrap(v, key.length, 8).getLong();
    }

    @ParameterizedTest
    @EnumSource(CacheAlgorithm.class)
    void writersAndOptimisticReadersUnderEviction(CacheAlgorithm algorithm) throws Exception {
        long seed = Seeds.seed("ConcurrencyStressTest(" + algorithm + ")");
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).cacheSize(1L << 20) // 256 pages
                .cacheAlgorithm(algorithm).pinHotPages(true).hotPageThreshold(32).build();
        try (Database db = Database.open(TestDirs.fresh("stress"), cfg)) {
            // Preload ~3 MiB so the 1 MiB cache evicts from the start, however slowly writers run.
            for (int n = 0; n < KEYS; n++) {
                byte[] k = key(n);
                db.put(k, value(k, 0, 120));
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong batches = new AtomicLong(1);
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                SplittableRandom rnd = new SplittableRandom(seed + w);
                threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    try {
                        while (!stop.get()) {
                            int op = rnd.nextInt(10);
                            if (op < 6) {
                                byte[] k = key(rnd.nextInt(KEYS));
                                db.put(k, value(k, 0, rnd.nextInt(rnd.nextInt(10) == 0 ? 3000 : 100)));
                            } else if (op < 8) {
                                db.delete(key(rnd.nextInt(KEYS)));
                            } else {
                                // a batch over 5 consecutive key numbers, all tagged with one id
                                long id = batches.incrementAndGet();
                                int base = rnd.nextInt(KEYS / 5) * 5;
                                WriteBatch b = db.newWriteBatch();
                                for (int i = 0; i < 5; i++) {
                                    byte[] k = key(base + i);
                                    b.put(k, value(k, id, rnd.nextInt(50)));
                                }
                                db.write(b);
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
                            int op = rnd.nextInt(10);
                            if (op < 6) {
                                byte[] k = key(rnd.nextInt(KEYS));
                                checkValue(k, db.get(k));
                            } else if (op < 8) {
                                byte[] prev = null;
                                try (Cursor c = db.scan(key(rnd.nextInt(KEYS)), null)) {
                                    for (int i = 0; i < 200 && c.next(); i++) {
                                        if (prev != null && Arrays.compareUnsigned(prev, c.key()) >= 0) {
                                            throw new AssertionError("scan out of order");
                                        }
                                        checkValue(c.key(), c.value());
                                        prev = c.key();
                                    }
                                }
                            } else {
                                // multiGet a batch's keys: if any carries a batch id, all five must be from
                                // batches, and the batch seen must be whole (all the same id) unless a later
                                // single put replaced one of them (id 0) in between.
                                int base = rnd.nextInt(KEYS / 5) * 5;
                                List<byte[]> ks = new ArrayList<>();
                                for (int i = 0; i < 5; i++) {
                                    ks.add(key(base + i));
                                }
                                List<byte[]> vs = db.multiGet(ks);
                                long id = -1;
                                for (int i = 0; i < 5; i++) {
                                    checkValue(ks.get(i), vs.get(i));
                                    if (vs.get(i) != null && batchId(ks.get(i), vs.get(i)) != 0) {
                                        long b = batchId(ks.get(i), vs.get(i));
                                        if (id == -1) {
                                            id = b;
                                        }
                                        // ids only differ if single puts/deletes hit some keys: tolerated;
                                        // a torn batch would show two different non-zero ids.
                                        if (b != id) {
                                            throw new AssertionError("multiGet saw batches " + id + " and " + b + " at key " + base);
                                        }
                                    }
                                }
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
            System.out.println("ConcurrencyStressTest: " + reads.get() + " reads, " + db.stats().evictions() + " evictions");
            // Liveness only: on a shared 2-core machine under load a few hundred reads is all there is.
            assertTrue(reads.get() > 100, "readers made progress: " + reads.get());
            assertTrue(db.stats().evictions() > 0, "the cache must have evicted under the readers");
            assertEquals(List.of(), db.verify(), "tree invariants after the storm");
            long n = 0;
            try (Cursor c = db.scan(null, null)) {
                while (c.next()) {
                    checkValue(c.key(), c.value());
                    n++;
                }
            }
            assertEquals(db.stats().keys(), n, "key count matches a full scan");
        }
    }
}
