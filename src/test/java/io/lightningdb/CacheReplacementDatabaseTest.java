package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every algorithm, with pinning on, behind the Database API: resizing a live cache, stats. */
class CacheReplacementDatabaseTest {
    static byte[] key(int n) {
        return String.format("key-%06d", n).getBytes();
    }

    static byte[] value(int n) {
        byte[] v = new byte[100];
        new SplittableRandom(n).nextBytes(v);
        return v;
    }

    @ParameterizedTest
    @EnumSource(CacheAlgorithm.class)
    void resizeCacheOnALiveDatabase(CacheAlgorithm algorithm) {
        SplittableRandom rnd = Seeds.random("resizeCacheOnALiveDatabase(" + algorithm + ")");
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).cacheSize(1L << 20).cacheAlgorithm(algorithm)
                .pinHotPages(true).hotPageThreshold(16).hotPartitionRatio(0.3).build();
        int keys = 8000;
        try (Database db = Database.open(TestDirs.fresh("cache-resize"), cfg)) {
            for (int i = 0; i < keys; i++) {
                db.put(key(i), value(i));
            }
            DatabaseStats before = db.stats();
            for (int i = 0; i < 20_000; i++) {
                int n = rnd.nextInt(4) == 0 ? rnd.nextInt(keys) : rnd.nextInt(200);
                assertArrayEquals(value(n), db.get(key(n)));
            }
            DatabaseStats small = db.stats();
            assertTrue(small.pageFaults() > before.pageFaults(), "the data exceeds the cache: " + small);
            assertTrue(small.cacheUsed() <= small.cacheSize(), small.toString());
            assertTrue(small.pinnedPages() > 0 && small.pinnedPages() <= 256 * 3 / 10, "pinned: " + small);
            assertTrue(small.cacheHitRatioSince(before) > 0.5, "hot keys mostly hit: " + small.cacheHitRatioSince(before));

            db.resizeCache(8L << 20);
            for (int i = 0; i < keys; i++) {
                assertArrayEquals(value(i), db.get(key(i)));
            }
            DatabaseStats big = db.stats();
            assertEquals(8L << 20, big.cacheSize());
            assertTrue(big.cacheUsed() > small.cacheSize(), "the grown cache holds more: " + big);

            db.resizeCache(1L << 20);
            DatabaseStats shrunk = db.stats();
            assertTrue(shrunk.cacheUsed() <= 1L << 20, "shrinking evicts at once: " + shrunk);
            assertTrue(shrunk.pinnedPages() <= 256 * 3 / 10, "the hot partition shrinks too: " + shrunk);
            for (int i = 0; i < keys; i += 3) {
                assertArrayEquals(value(i), db.get(key(i)));
            }
            assertEquals(List.of(), db.verify());
        }
    }
}
