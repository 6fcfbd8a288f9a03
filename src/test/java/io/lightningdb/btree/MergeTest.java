package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.io.IoConfig;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deletes give pages back: merges keep the file bounded and the tree sound. */
class MergeTest {
    static final long MAX_PAGES = 1 << 20;

    static byte[] key(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    static byte[] value(long n, int len) {
        byte[] v = new byte[len];
        ByteBuffer.wrap(v).putLong(0, n);
        return v;
    }

    static PageFile file(String name, int pageSize, long cachePages) throws Exception {
        return PageFile.create(TestDirs.fresh(name).resolve("db"), pageSize, pageSize / 4, IoConfig.defaults(), MAX_PAGES,
                cachePages * pageSize);
    }

    /** Pages the tree and its values hold: the file's pages less the free ones and the superblock. */
    static long livePages(PageFile f) {
        return f.pageCount() - f.freePages() - 1;
    }

    static List<byte[]> scan(BTree t, byte[] from, byte[] to, boolean reverse) throws Exception {
        TreeCursor c = new TreeCursor(t, from, to, reverse);
        List<byte[]> keys = new ArrayList<>();
        while (c.next()) {
            keys.add(c.key());
        }
        return keys;
    }

    @ParameterizedTest
    @ValueSource(ints = {4096, 16384})
    void aSlidingWindowKeepsTheFileBounded(int pageSize) throws Exception {
        try (PageFile f = file("merge-queue", pageSize, 256)) {
            BTree t = BTree.create(f, KeySearch.select(true));
            int window = 3000;
            long total = 150_000;
            long pagesAtWarmUp = 0;
            for (long n = 0; n < total; n++) {
                t.put(MemorySegment.ofArray(key(n)), MemorySegment.ofArray(value(n, 100)));
                if (n >= window) {
                    assertTrue(t.delete(MemorySegment.ofArray(key(n - window))), "delete " + (n - window));
                }
                if (n == 4L * window) {
                    pagesAtWarmUp = f.pageCount();
                }
            }
            assertEquals(window, t.keyCount());
            assertEquals(List.of(), t.verify(), "tree invariants");
            // Without merges the file would hold every key ever written (~50x the window).
            assertTrue(f.pageCount() <= pagesAtWarmUp * 3 / 2 + 8, "file grew from " + pagesAtWarmUp + " to "
                    + f.pageCount() + " pages for a window of " + window + " keys");
            List<byte[]> keys = scan(t, null, null, false);
            assertEquals(window, keys.size());
            assertArrayEquals(key(total - window), keys.get(0));
            List<byte[]> rev = scan(t, null, null, true);
            Collections.reverse(rev);
            assertEquals(keys.size(), rev.size());
            for (int i = 0; i < keys.size(); i++) {
                assertArrayEquals(keys.get(i), rev.get(i), "reverse scan entry " + i);
            }
            assertNull(BTreeModelTest.get(t, key(0)));
            assertArrayEquals(value(total - 1, 100), BTreeModelTest.get(t, key(total - 1)));
        }
    }

    @Test
    void deletingEverythingLeavesOneLeafAndTheSpaceIsReused() throws Exception {
        SplittableRandom rnd = Seeds.random("MergeTest.deletingEverything");
        try (PageFile f = file("merge-all", 4096, 512)) {
            BTree t = BTree.create(f, KeySearch.select(true));
            List<Long> ns = new ArrayList<>();
            for (long n = 0; n < 40_000; n++) {
                ns.add(n);
            }
            Collections.shuffle(ns, new java.util.Random(rnd.nextLong()));
            for (long n : ns) {
                t.put(MemorySegment.ofArray(key(n)), MemorySegment.ofArray(value(n, 60)));
            }
            long full = f.pageCount();
            Collections.shuffle(ns, new java.util.Random(rnd.nextLong()));
            for (long n : ns) {
                assertTrue(t.delete(MemorySegment.ofArray(key(n))));
            }
            assertEquals(0, t.keyCount());
            assertEquals(List.of(), t.verify());
            assertTrue(livePages(f) <= t.height() + 2, "after deleting everything the tree still holds "
                    + livePages(f) + " pages (height " + t.height() + ")");
            assertEquals(List.of(), scan(t, null, null, false));
            assertEquals(List.of(), scan(t, null, null, true));
            // A different key range of the same size fits in the pages given back.
            for (long n : ns) {
                t.put(MemorySegment.ofArray(key(n + 1_000_000)), MemorySegment.ofArray(value(n, 60)));
            }
            assertTrue(f.pageCount() <= full + full / 10, "file grew from " + full + " to " + f.pageCount() + " pages");
            assertEquals(List.of(), t.verify());
        }
    }

    @Test
    void randomDeletesCompactTheTreeAndMatchTheModel() throws Exception {
        SplittableRandom rnd = Seeds.random("MergeTest.randomDeletes");
        try (PageFile f = file("merge-random", 4096, 128)) {
            BTree t = BTree.create(f, KeySearch.select(true));
            TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
            for (int i = 0; i < 30_000; i++) {
                byte[] k = BTreeModelTest.randomKey(rnd, 60_000);
                byte[] v = value(i, 8 + rnd.nextInt(200));
                t.put(MemorySegment.ofArray(k), MemorySegment.ofArray(v));
                model.put(k, v);
            }
            long before = livePages(f);
            List<byte[]> all = new ArrayList<>(model.keySet());
            Collections.shuffle(all, new java.util.Random(rnd.nextLong()));
            for (int i = 0; i < all.size() * 9 / 10; i++) {
                assertTrue(t.delete(MemorySegment.ofArray(all.get(i))));
                model.remove(all.get(i));
            }
            assertEquals(List.of(), t.verify());
            long after = livePages(f);
            assertTrue(after < before * 4 / 10, "90% deleted, live pages " + before + " -> " + after);
            assertEquals(model.size(), t.keyCount());
            for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
                assertArrayEquals(e.getValue(), BTreeModelTest.get(t, e.getKey()));
            }
            List<byte[]> keys = scan(t, null, null, false);
            assertEquals(model.size(), keys.size());
            int i = 0;
            for (byte[] k : model.keySet()) {
                assertArrayEquals(k, keys.get(i++));
            }
        }
    }
}
