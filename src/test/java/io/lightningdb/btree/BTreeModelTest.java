package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lightningdb.io.IoConfig;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.Superblock;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random puts, deletes and gets against a TreeMap, through splits, eviction, overflow chains,
 * separated values (value pages) and reopen, the tree verified after each round.
 */
class BTreeModelTest {
    static final long MAX_PAGES = 1 << 20;

    static byte[] randomKey(SplittableRandom rnd, int space) {
        int n = rnd.nextInt(space);
        int shape = rnd.nextInt(4);
        byte[] k = switch (shape) {
            case 0 -> new byte[] {(byte) n, (byte) (n >> 8)};
            case 1 -> String.format("key-%08d", n).getBytes();
            case 2 -> String.format("a-much-longer-common-prefix-for-keys/%d", n).getBytes();
            default -> {
                byte[] b = new byte[1 + (n % 40)];
                new SplittableRandom(n).nextBytes(b);
                yield b;
            }
        };
        return k;
    }

    static byte[] randomValue(SplittableRandom rnd, int pageSize) {
        int r = rnd.nextInt(100);
        int len = r < 70 ? rnd.nextInt(120) : r < 95 ? rnd.nextInt(pageSize / 2) : rnd.nextInt(pageSize * 5);
        byte[] v = new byte[len];
        rnd.nextBytes(v);
        return v;
    }

    static byte[] get(BTree t, byte[] key) throws Exception {
        byte[][] out = new byte[1][];
        long len = t.get(MemorySegment.ofArray(key), n -> {
            out[0] = new byte[(int) n];
            return MemorySegment.ofArray(out[0]);
        });
        return len < 0 ? null : out[0];
    }

    @ParameterizedTest(name = "pageSize {0}, values from {1} bytes separated")
    @CsvSource({"4096, 0", "16384, 0", "65536, 0", "4096, 300", "4096, 1", "16384, 1000"})
    void matchesTreeMapThroughReopen(int pageSize, int separateFrom) throws Exception {
        SplittableRandom rnd = Seeds.random("BTreeModelTest.matchesTreeMapThroughReopen(" + pageSize + ", "
                + separateFrom + ")");
        Path file = TestDirs.fresh("btree-model").resolve("db");
        long cache = 64L * pageSize; // small: forces eviction
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        PageFile f = PageFile.create(file, pageSize, pageSize / 4, IoConfig.defaults(), MAX_PAGES, cache);
        BTree t = BTree.create(f, KeySearch.select(true));
        t.separateValuesFrom(separateFrom);
        int space = 3000;
        for (int round = 0; round < 3; round++) {
            for (int op = 0; op < 6000; op++) {
                byte[] k = randomKey(rnd, space);
                int what = rnd.nextInt(10);
                if (what < 6) {
                    byte[] v = randomValue(rnd, pageSize);
                    if (model.containsKey(k) && rnd.nextInt(4) == 0) {
                        v = new byte[model.get(k).length]; // same length: overwritten in place
                        rnd.nextBytes(v);
                    }
                    boolean added = t.put(MemorySegment.ofArray(k), MemorySegment.ofArray(v));
                    assertEquals(!model.containsKey(k), added, "put reports new key");
                    model.put(k, v);
                } else if (what < 8) {
                    assertEquals(model.remove(k) != null, t.delete(MemorySegment.ofArray(k)), "delete reports presence");
                } else {
                    assertArrayEquals(model.get(k), get(t, k), "get");
                }
            }
            assertEquals(model.size(), t.keyCount());
            // the run must have exercised what it claims to: splits, eviction, faulting pages back
            org.junit.jupiter.api.Assertions.assertTrue(t.height() > 1, "tree height " + t.height());
            org.junit.jupiter.api.Assertions.assertTrue(f.pool().evictions() > 0 && f.pool().faults() > 0,
                    "evictions " + f.pool().evictions() + ", faults " + f.pool().faults());
            for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
                assertArrayEquals(e.getValue(), get(t, e.getKey()));
            }
            assertEquals(java.util.List.of(), t.verify(), "verify after round " + round);
            f.persist(f.capture(t.rootPage(), t.height(), t.keyCount(), t.liveBytes(), 0));
            f.close();
            f = PageFile.open(file, IoConfig.defaults(), MAX_PAGES, cache);
            Superblock sb = f.loadedSuperblock();
            t = BTree.open(f, KeySearch.select(true), sb.rootPage(), sb.treeHeight(), sb.keyCount(), sb.liveBytes());
            t.separateValuesFrom(separateFrom);
            for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
                assertArrayEquals(e.getValue(), get(t, e.getKey()), "after reopen");
            }
            assertNull(get(t, "absent-key-xyz".getBytes()));
        }
        f.close();
    }
}
