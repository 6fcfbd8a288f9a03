package io.lightningdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.lightningdb.testing.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A batch sorted for the store: key order as unsigned bytes, the last operation given for a key kept. */
class SortedBatchTest {
    @Test
    void sortsByUnsignedKeyAndKeepsTheLastOperationOfEachKey() {
        SplittableRandom rnd = Seeds.random("SortedBatchTest");
        for (int round = 0; round < 300; round++) {
            int n = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 2000);
            List<byte[]> keys = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
            for (int i = 0; i < n; i++) {
                // Short keys, keys sharing 8-byte prefixes, bytes above 0x7f: every tie the head cannot settle.
                byte[] k = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 3 : 14)];
                for (int j = 0; j < k.length; j++) {
                    k[j] = (byte) (j < 8 && rnd.nextInt(4) > 0 ? 0xF0 : rnd.nextInt(4) * 0x55);
                }
                byte[] v = rnd.nextInt(4) == 0 ? null : new byte[] {(byte) i, (byte) (i >> 8)};
                keys.add(k);
                values.add(v);
                model.put(k, v);
            }
            SortedBatch b = SortedBatch.of(keys, values);
            assertEquals(model.size(), b.keys().size(), "one operation per key, round " + round);
            int i = 0;
            for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
                assertArrayEquals(e.getKey(), b.keys().get(i), "key " + i + " of round " + round);
                assertArrayEquals(e.getValue(), b.values().get(i), "the last operation of key " + i + " of round " + round);
                i++;
            }
            assertEquals(true, SortedBatch.ascending(b.keys()));
        }
    }

    @Test
    void aBatchAlreadyInOrderIsTakenAsItIs() {
        List<byte[]> keys = List.of(new byte[] {1}, new byte[] {1, 0}, new byte[] {(byte) 0x80});
        List<byte[]> values = Arrays.asList(new byte[] {1}, null, new byte[] {3});
        SortedBatch b = SortedBatch.of(keys, values);
        assertSame(keys, b.keys());
        assertSame(values, b.values());
    }
}
