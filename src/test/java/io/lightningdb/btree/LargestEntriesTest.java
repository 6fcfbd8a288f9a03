package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.io.IoConfig;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Entries at the inline limit ({@link NodeLayout#maxEntryBytes}) beside keys of the largest size,
 * in ascending, descending and random order: every split finds a point, the tree verifies, and
 * every value reads back. The bound's argument is in its Javadoc; this is its check.
 */
class LargestEntriesTest {
    @ParameterizedTest
    @ValueSource(ints = {4096, 16384})
    void entriesAtTheInlineLimitBesideTheLargestKeysSplitInAnyOrder(int pageSize) throws Exception {
        SplittableRandom rnd = Seeds.random("LargestEntriesTest(" + pageSize + ")");
        int maxKey = NodeLayout.maxKeyLimit(pageSize);
        int edge = NodeLayout.maxEntryBytes(pageSize) - NodeLayout.ENTRY_OVERHEAD - NodeLayout.LEAF_CELL_HEADER;
        assertTrue(NodeLayout.inline(pageSize, 16, edge - 16), "key + value = " + edge + " is inline");
        assertFalse(NodeLayout.inline(pageSize, 16, edge - 15), "one byte more is not");
        if (pageSize == 4096) {
            assertEquals(1479, edge - 16, "a 16-byte key leaves 1,479 bytes of value inline in 4 KiB pages");
        }
        for (String order : List.of("ascending", "descending", "random")) {
            Path file = TestDirs.fresh("largest-entries").resolve("db");
            PageFile f = PageFile.create(file, pageSize, maxKey, IoConfig.defaults(), 1 << 20, 512L * pageSize);
            BTree t = BTree.create(f, KeySearch.select(true));
            TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                numbers.add(i);
            }
            if (order.equals("descending")) {
                numbers = numbers.reversed();
            } else if (order.equals("random")) {
                for (int i = numbers.size() - 1; i > 0; i--) {
                    int j = rnd.nextInt(i + 1);
                    numbers.set(j, numbers.set(i, numbers.get(j)));
                }
            }
            for (int n : numbers) {
                // a third of the keys at the largest size (as separators they make the largest high keys)
                int keyLen = n % 3 == 0 ? maxKey : 4 + rnd.nextInt(16);
                byte[] k = new byte[keyLen];
                rnd.nextBytes(k);
                k[0] = (byte) (n >> 8);
                k[1] = (byte) n;
                // values that put the entry exactly at the limit, or just below, or past it (overflow)
                int valueLen = Math.max(0, edge - keyLen - rnd.nextInt(3)) + (rnd.nextInt(10) == 0 ? 1 : 0);
                byte[] v = new byte[valueLen];
                rnd.nextBytes(v);
                t.put(MemorySegment.ofArray(k), MemorySegment.ofArray(v));
                model.put(k, v);
            }
            assertEquals(List.of(), t.verify(), order);
            for (var e : model.entrySet()) {
                assertArrayEquals(e.getValue(), BTreeModelTest.get(t, e.getKey()), order);
            }
            assertEquals(model.size(), t.keyCount(), order);
            f.close();
            TestDirs.deleteTree(file.getParent());
        }
    }
}
