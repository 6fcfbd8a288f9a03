package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.io.IoConfig;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sorted batches applied a leaf run at a time ({@link BTree#applySorted}) against a TreeMap: puts
 * and deletes of inline and overflow values, through splits, merges and a small cache; every call
 * reports the previous values it replaced, and runs really take several keys per call.
 */
class LeafRunsTest {
    @ParameterizedTest
    @ValueSource(ints = {4096, 16384})
    void sortedBatchesMatchTheModelAndReportPreviousValues(int pageSize) throws Exception {
        SplittableRandom rnd = Seeds.random("LeafRunsTest(" + pageSize + ")");
        Path file = TestDirs.fresh("leaf-runs").resolve("db");
        PageFile f = PageFile.create(file, pageSize, pageSize / 4, IoConfig.defaults(), 1 << 20, 64L * pageSize);
        BTree t = BTree.create(f, KeySearch.select(true));
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        long keys = 0;
        long calls = 0;
        for (int round = 0; round < 400; round++) {
            // Dense batches (many keys per leaf) and sparse ones; deletes heavier in later rounds so leaves merge.
            int space = rnd.nextBoolean() ? 400 : 20_000;
            int deletes = round < 200 ? 25 : 70;
            TreeMap<byte[], byte[]> batch = new TreeMap<>(Arrays::compareUnsigned);
            for (int i = 1 + rnd.nextInt(200); i > 0; i--) {
                byte[] k = BTreeModelTest.randomKey(rnd, space);
                batch.put(k, rnd.nextInt(100) < deletes ? null : BTreeModelTest.randomValue(rnd, pageSize));
            }
            List<byte[]> ks = new ArrayList<>(batch.keySet());
            List<byte[]> vs = new ArrayList<>(batch.values());
            byte[][] before = new byte[ks.size()][];
            for (int i = 0; i < ks.size(); ) {
                int next = t.applySorted(ks, vs, i, before);
                assertTrue(next > i && next <= ks.size(), "a call applies at least one key: " + i + " -> " + next);
                i = next;
                calls++;
            }
            keys += ks.size();
            for (int i = 0; i < ks.size(); i++) {
                byte[] old = vs.get(i) == null ? model.remove(ks.get(i)) : model.put(ks.get(i), vs.get(i));
                assertArrayEquals(old, before[i], "previous value of key " + i + " in round " + round);
            }
            assertEquals(model.size(), t.keyCount(), "key count after round " + round);
        }
        assertEquals(List.of(), t.verify(), "tree invariants");
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertArrayEquals(e.getValue(), BTreeModelTest.get(t, e.getKey()));
        }
        assertTrue(calls < keys, calls + " calls for " + keys + " keys");
        // Small values on neighbouring keys: a call fills what room a leaf has (then a split halves
        // it, as these keys land inside the tree, not past its right edge), so ~4 calls per leaf's worth.
        List<byte[]> ks = new ArrayList<>();
        List<byte[]> vs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ks.add(String.format("run-%08d", i).getBytes());
            vs.add(new byte[20]);
        }
        int runCalls = 0;
        for (int i = 0; i < ks.size(); runCalls++) {
            i = t.applySorted(ks, vs, i, null);
        }
        int perLeaf = pageSize / (NodeLayout.ENTRY_OVERHEAD + NodeLayout.LEAF_CELL_HEADER + 12 + 20);
        assertTrue(runCalls <= 4 * ks.size() / perLeaf + 20, runCalls + " calls for " + ks.size()
                + " neighbouring keys, about " + perLeaf + " to a leaf");
        for (int i = 0; i < ks.size(); i++) {
            assertArrayEquals(vs.get(i), BTreeModelTest.get(t, ks.get(i)));
        }
        assertEquals(List.of(), t.verify(), "tree invariants after the runs");
        f.close();
    }
}
