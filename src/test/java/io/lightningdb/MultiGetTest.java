package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** multiGet on data far larger than the cache: batched loads return exactly what single gets do. */
class MultiGetTest {
    static final int KEYS = 40_000;

    static byte[] key(int n) {
        return ByteBuffer.allocate(12).putInt(n * 31).putLong(n).array();
    }

    static byte[] value(int n) {
        // A few overflow values, a third in value pages (a missing value page is batched too).
        byte[] v = new byte[n % 100 == 0 ? 9000 : n % 3 == 0 ? 1000 : 100];
        ByteBuffer.wrap(v).putInt(0, n);
        return v;
    }

    @Test
    void batchedLoadsMatchTheData() {
        SplittableRandom rnd = Seeds.random("MultiGetTest");
        Path dir = TestDirs.fresh("multiget");
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).cacheSize(1L << 20).build();
        try (Database db = Database.open(dir, cfg)) {
            for (int n = 0; n < KEYS; n += 2) { // odd numbers stay absent
                db.put(key(n), value(n));
            }
        }
        try (Database db = Database.open(dir, cfg)) {
            long faultsBefore = db.stats().pageFaults();
            for (int round = 0; round < 200; round++) {
                int size = 1 + rnd.nextInt(round % 10 == 0 ? 400 : 40); // sometimes more pages than the cache
                List<byte[]> keys = new ArrayList<>();
                List<Integer> ns = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    int n = rnd.nextInt(KEYS);
                    ns.add(n);
                    keys.add(key(n));
                }
                List<byte[]> got = db.multiGet(keys);
                assertEquals(size, got.size());
                for (int i = 0; i < size; i++) {
                    int n = ns.get(i);
                    if (n % 2 == 1) {
                        assertNull(got.get(i), "key " + n + " is absent");
                    } else {
                        assertArrayEquals(value(n), got.get(i), "key " + n);
                    }
                }
            }
            assertTrue(db.stats().pageFaults() - faultsBefore > 1000, "the reads must have come from the file");
        }
    }

    @Test
    void aCorruptPageAmongABatchIsReportedNotSkipped() throws Exception {
        Path dir = TestDirs.fresh("multiget-corrupt");
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).cacheSize(1L << 20).build();
        try (Database db = Database.open(dir, cfg)) {
            for (int n = 0; n < KEYS; n += 2) {
                db.put(key(n), value(n));
            }
        }
        // Damage one page in the middle of the file (a leaf or overflow page, not the superblock).
        Path file = dir.resolve(Database.FILE_NAME);
        long pages;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            pages = ch.size() / 4096;
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), (pages / 2) * 4096 + 100);
        }
        try (Database db = Database.open(dir, cfg)) {
            List<byte[]> all = new ArrayList<>();
            for (int n = 0; n < KEYS; n += 2) {
                all.add(key(n));
            }
            CorruptDatabaseException e = assertThrows(CorruptDatabaseException.class, () -> {
                for (int from = 0; from < all.size(); from += 64) {
                    db.multiGet(all.subList(from, Math.min(all.size(), from + 64)));
                }
            });
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }
}
