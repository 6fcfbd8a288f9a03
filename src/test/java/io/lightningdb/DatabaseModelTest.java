package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long random sequences of put/delete/get/scan/batch against a TreeMap with an unsigned-bytes
 * comparator: mixed key lengths, values up to overflow size, small caches, close and reopen.
 * Every replacement policy runs it at 4 KiB pages; the larger page sizes take one each.
 */
class DatabaseModelTest {
    static byte[] key(SplittableRandom rnd) {
        int n = rnd.nextInt(4000);
        return switch (rnd.nextInt(4)) {
            case 0 -> new byte[] {(byte) (n >> 8), (byte) n};
            case 1 -> ("user:" + n).getBytes();
            case 2 -> ("user:" + (n % 50) + ":orders:" + n).getBytes();
            default -> {
                byte[] b = new byte[1 + n % 60];
                new SplittableRandom(n).nextBytes(b);
                yield b;
            }
        };
    }

    static byte[] value(SplittableRandom rnd, int pageSize) {
        int r = rnd.nextInt(100);
        byte[] v = new byte[r < 75 ? rnd.nextInt(100) : r < 97 ? rnd.nextInt(pageSize) : rnd.nextInt(4 * pageSize)];
        rnd.nextBytes(v);
        return v;
    }

    static void assertCursor(Iterator<Map.Entry<byte[], byte[]>> expected, Cursor c, String what) {
        int i = 0;
        while (expected.hasNext()) {
            Map.Entry<byte[], byte[]> e = expected.next();
            assertTrue(c.next(), what + ": cursor ended early at entry " + i);
            assertArrayEquals(e.getKey(), c.key(), what + ": key " + i);
            assertArrayEquals(e.getValue(), c.value(), what + ": value " + i);
            i++;
        }
        assertFalse(c.next(), what + ": cursor has more than " + i + " entries");
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of(4096, CacheAlgorithm.CLOCK, true, false),
                Arguments.of(4096, CacheAlgorithm.LRU, true, true),
                Arguments.of(4096, CacheAlgorithm.ARC, true, false),
                Arguments.of(16384, CacheAlgorithm.LRU, false, false),
                Arguments.of(65536, CacheAlgorithm.ARC, true, true));
    }

    @ParameterizedTest
    @MethodSource("configurations")
    void randomOperationsMatchTreeMap(int pageSize, CacheAlgorithm algorithm, boolean scanResistance, boolean pin) {
        SplittableRandom rnd = Seeds.random("DatabaseModelTest(" + pageSize + ", " + algorithm + ", scanResistance="
                + scanResistance + ", pin=" + pin + ")");
        Path dir = TestDirs.fresh("db-model");
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).pageSize(pageSize).cacheSize(Math.max(1L << 20, 96L * pageSize))
                .cacheAlgorithm(algorithm).enableScanResistance(scanResistance).pinHotPages(pin).hotPageThreshold(8)
                .build();
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        Database db = Database.open(dir, cfg);
        try {
            for (int round = 0; round < 3; round++) {
                for (int op = 0; op < 2500; op++) {
                    int what = rnd.nextInt(100);
                    if (what < 50) {
                        byte[] k = key(rnd);
                        byte[] v = value(rnd, pageSize);
                        db.put(k, v);
                        model.put(k, v);
                    } else if (what < 65) {
                        byte[] k = key(rnd);
                        db.delete(k);
                        model.remove(k);
                    } else if (what < 85) {
                        byte[] k = key(rnd);
                        assertArrayEquals(model.get(k), db.get(k), "get");
                        assertEquals(model.containsKey(k), db.contains(k), "contains");
                    } else if (what < 90) {
                        WriteBatch b = db.newWriteBatch();
                        for (int i = rnd.nextInt(10); i >= 0; i--) {
                            byte[] k = key(rnd);
                            if (rnd.nextBoolean()) {
                                byte[] v = value(rnd, pageSize);
                                b.put(k, v);
                                model.put(k, v);
                            } else {
                                b.delete(k);
                                model.remove(k);
                            }
                        }
                        db.write(b);
                    } else if (what < 94) {
                        byte[] a = key(rnd);
                        byte[] z = key(rnd);
                        if (Arrays.compareUnsigned(a, z) > 0) {
                            byte[] t = a;
                            a = z;
                            z = t;
                        }
                        try (Cursor c = db.scan(a, z)) {
                            assertCursor(model.subMap(a, true, z, false).entrySet().iterator(), c, "scan");
                        }
                        try (Cursor c = db.scanReverse(a, z)) {
                            assertCursor(model.subMap(a, true, z, false).descendingMap().entrySet().iterator(), c, "reverse scan");
                        }
                    } else if (what < 97) {
                        byte[] prefix = ("user:" + rnd.nextInt(50)).getBytes();
                        byte[] end = io.lightningdb.Arguments.prefixEnd(prefix);
                        try (Cursor c = db.scanPrefix(prefix)) {
                            assertCursor(model.subMap(prefix, true, end, false).entrySet().iterator(), c, "prefix scan");
                        }
                    } else {
                        List<byte[]> keys = new ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            keys.add(key(rnd));
                        }
                        List<byte[]> got = db.multiGet(keys);
                        for (int i = 0; i < keys.size(); i++) {
                            assertArrayEquals(model.get(keys.get(i)), got.get(i), "multiGet " + i);
                        }
                    }
                }
                try (Cursor c = db.scan(null, null)) {
                    assertCursor(model.entrySet().iterator(), c, "full scan");
                }
                try (Cursor c = db.scanReverse(null, null)) {
                    assertCursor(model.descendingMap().entrySet().iterator(), c, "full reverse scan");
                }
                assertEquals(model.size(), db.stats().keys());
                assertEquals(List.of(), db.verify(), "tree invariants");
                db.close();
                db = Database.open(dir, cfg);
                assertTrue(db.wasReopened());
                try (Cursor c = db.scan(null, null)) {
                    assertCursor(model.entrySet().iterator(), c, "full scan after reopen");
                }
            }
        } finally {
            db.close();
        }
    }
}
