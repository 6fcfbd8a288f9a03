package io.lightningdb;

import static io.lightningdb.testing.TestBytes.bytes;
import static io.lightningdb.testing.TestBytes.filled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.LoopFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A disk that fills up, and one whose fsync fails, on a real ext4 filesystem of the test's own
 * (a loop device): the failing write gets an exception, nothing acknowledged is lost, reads go on,
 * and the database writes again once space is freed (ENOSPC) or after a reopen (EIO).
 */
class DiskFaultTest {
    private static LightningDbConfig config() {
        return LightningDbConfig.builder().walSyncMode(WalSyncMode.SYNC).cacheSize(4L << 20).walSegmentSize(1L << 20)
                .maxWalSize(2L << 20).maxDatabaseSize(1L << 30).build();
    }

    private static byte[] key(int i) {
        return bytes(String.format("key%07d", i));
    }

    @Test
    void aFullDiskFailsTheWriteLosesNothingAndWritesAgainOnceSpaceIsFree() throws Exception {
        try (LoopFs fs = LoopFs.mount("disk-full", 48)) {
            Path dir = fs.dir().resolve("db");
            Path ballast = fs.dir().resolve("ballast");
            Files.write(ballast, new byte[8 << 20]);
            List<Integer> acked = new ArrayList<>();
            LightningDbException full = null;
            try (Database db = Database.open(dir, config())) {
                for (int i = 0; i < 100_000 && full == null; i++) {
                    try {
                        db.put(key(i), filled(6000, i));
                        acked.add(i);
                    } catch (LightningDbException e) {
                        full = e;
                    }
                }
                assertNotNull(full, "48 MiB should fill up");
                assertTrue(full.getMessage().contains("No space left on device") || full.getMessage().contains("no space"),
                        full.getMessage());
                assertTrue(acked.size() > 1000, acked.size() + " writes before the disk was full");
                // Every acknowledged write reads back from the same handle.
                for (int i : acked) {
                    assertArrayEquals(filled(6000, i), db.get(key(i)), "key " + i);
                }
                Files.delete(ballast);
                int next = acked.getLast() + 1;
                boolean again = false;
                for (int attempt = 0; attempt < 20 && !again; attempt++) {
                    try {
                        db.put(key(next), filled(6000, next));
                        acked.add(next);
                        again = true;
                    } catch (LightningDbException stillFull) {
                        Thread.sleep(200);
                    }
                }
                assertTrue(again, "writes work again once space is freed");
                for (int i = next + 1; i < next + 200; i++) {
                    db.put(key(i), filled(600, i));
                    acked.add(i);
                }
            }
            try (Database db = Database.open(dir, config())) {
                for (int i : acked) {
                    assertArrayEquals(filled(i > acked.get(acked.size() - 200) ? 600 : 6000, i), db.get(key(i)), "key " + i);
                }
                assertEquals(List.of(), db.verify());
            }
        }
    }

    @Test
    void aFailedFsyncRefusesWritesForGoodAndNothingAcknowledgedIsLost() throws Exception {
        try (LoopFs fs = LoopFs.mount("fsync-fails", 32)) {
            Path dir = fs.dir().resolve("db");
            int acked = 0;
            Database db = Database.open(dir, config());
            try {
                for (; acked < 500; acked++) {
                    db.put(key(acked), filled(100, acked));
                }
                fs.shutDown();
                LightningDbException failed = assertThrows(LightningDbException.class,
                        () -> db.put(key(100_000), filled(100, 100_000)));
                assertTrue(failed.getMessage().contains("Input/output error"), failed.getMessage());
                LightningDbException refused = assertThrows(LightningDbException.class, () -> db.put(key(1), bytes("x")));
                assertTrue(refused.getMessage().contains("writes are refused since the log failed"), refused.getMessage());
                assertTrue(refused.getMessage().contains("reopen"), refused.getMessage());
                // Reads of what is in memory go on.
                assertArrayEquals(filled(100, 7), db.get(key(7)));
            } finally {
                try {
                    db.close();
                } catch (LightningDbException closeOnDeadDisk) {
                    // Closing cannot write to a shut-down filesystem; what matters is the reopen.
                }
            }
            fs.remount();
            try (Database again = Database.open(dir, config())) {
                for (int i = 0; i < acked; i++) {
                    assertArrayEquals(filled(100, i), again.get(key(i)), "acknowledged key " + i);
                }
                again.put(key(100_001), bytes("writes work after the reopen"));
                assertEquals(List.of(), again.verify());
            }
        }
    }
}
