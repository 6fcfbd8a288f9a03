package io.lightningdb;

import static io.lightningdb.testing.TestBytes.bytes;
import static io.lightningdb.testing.TestBytes.filled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write-ahead log at the API: one handle per directory (this process or another), what a
 * directory must hold, checkpoints that leave nothing to replay, and what each sync mode promises
 * as seen in the stats. Crashes themselves: crash/CrashTest; full and failing disks: DiskFaultTest.
 */
class DurabilityTest {
    private final Path dir = TestDirs.fresh("durability");

    @AfterEach
    void cleanUp() throws IOException {
        TestDirs.deleteTree(dir);
    }

    static byte[] key(int i) {
        return bytes(String.format("key%07d", i));
    }

    static byte[] value(int i) {
        return filled(50 + i % 200, i);
    }

    @Test
    void aSecondOpenInThisProcessIsRefusedNamingTheDirectoryAndPid() {
        try (Database db = Database.open(dir)) {
            DatabaseLockedException e = assertThrows(DatabaseLockedException.class, () -> Database.open(dir));
            assertTrue(e.getMessage().startsWith(dir + " is locked by process " + ProcessHandle.current().pid()
                    + " (this process: another open handle)"), e.getMessage());
            assertEquals(ProcessHandle.current().pid(), e.holderPid());
            db.put(key(1), value(1)); // the first handle is unaffected by the refused one
        }
        try (Database db = Database.open(dir)) {
            assertArrayEquals(value(1), db.get(key(1)));
        }
    }

    @Test
    void anotherProcessHoldingTheDirectoryIsNamedAndItsDeathReleasesTheLock() throws Exception {
        Process child = HoldOpen.start(dir, 0);
        try {
            DatabaseLockedException e = assertThrows(DatabaseLockedException.class, () -> Database.open(dir));
            assertEquals(child.pid(), e.holderPid(), e.getMessage());
            assertTrue(e.getMessage().contains("locked by process " + child.pid()), e.getMessage());
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        try (Database db = Database.open(dir)) {
            db.put(key(2), value(2));
        }
    }

    @Test
    void aCheckpointLeavesNothingToReplayEvenAfterKillDashNine() throws Exception {
        Process child = HoldOpen.start(dir, 5000);
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        try (Database db = Database.open(dir)) {
            assertEquals(0, db.recovery().records(), "a checkpoint made the log before it unnecessary");
            for (int i = 0; i < 5000; i++) {
                assertArrayEquals(value(i), db.get(key(i)), "key " + i);
            }
        }
        try (Database db = Database.open(dir)) {
            assertEquals(0, db.recovery().records(), "close checkpoints too");
            assertFalse(db.recovery().tailCut());
        }
    }

    @Test
    void aDirectoryHoldingOtherFilesIsNotADatabaseAndIsLeftAsItWas() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        NotADatabaseException e = assertThrows(NotADatabaseException.class, () -> Database.open(dir));
        assertEquals(dir + " holds notes.txt and no lightning.db: not a Lightning DB directory; open an empty or new"
                + " directory", e.getMessage());
        assertEquals(List.of("LOCK", "notes.txt"), list(dir), "only the lock file was added");
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void aLogWithoutItsDataFileIsRefused() throws IOException {
        try (Database db = Database.open(dir)) {
            db.put(key(1), value(1));
        }
        Files.delete(dir.resolve(Database.FILE_NAME));
        NotADatabaseException e = assertThrows(NotADatabaseException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().contains("holds a write-ahead log (wal/) but no lightning.db"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(Database.FILE_NAME)), "nothing was created over the log");
    }

    @Test
    void syncModesShowInTheStats() throws Exception {
        try (Database db = Database.open(dir, LightningDbConfig.builder().walSyncMode(WalSyncMode.SYNC).build())) {
            for (int i = 0; i < 200; i++) {
                db.put(key(i), value(i));
            }
            DurabilityStats d = db.stats().durability();
            assertEquals(WalSyncMode.SYNC, d.syncMode());
            assertTrue(d.logSyncs() >= 200, "one writer in SYNC: a sync per write, " + d);
        }
        TestDirs.deleteTree(dir);
        try (Database db = Database.open(dir, LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC)
                .walFlushInterval(java.time.Duration.ofMillis(50)).build())) {
            for (int i = 0; i < 20_000; i++) {
                db.put(key(i), value(i));
            }
            DurabilityStats d = db.stats().durability();
            assertTrue(d.logSyncs() < 2000, "ASYNC writes do not wait for syncs: " + d);
        }
        TestDirs.deleteTree(dir);
        try (Database db = Database.open(dir, LightningDbConfig.builder().walSyncMode(WalSyncMode.BATCH).build())) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int base = t * 1000;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = base; i < base + 200; i++) {
                        db.put(key(i), value(i));
                    }
                }));
            }
            for (Thread w : writers) {
                w.join();
            }
            DurabilityStats d = db.stats().durability();
            assertEquals(1600, d.logRecords());
            assertTrue(d.logSyncs() < 1600 && d.largestGroup() > 1, "8 writers share syncs: " + d);
        }
    }

    @Test
    void aWriteLargerThanALogSegmentIsRefusedNamingTheLimit() {
        LightningDbConfig small = LightningDbConfig.builder().walSegmentSize(1L << 20).build();
        try (Database db = Database.open(dir, small)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> db.put(key(1), new byte[2 << 20]));
            assertTrue(e.getMessage().contains("exceed the log record limit") && e.getMessage().contains("walSegmentSize 1048576"),
                    e.getMessage());
            assertEquals(null, db.get(key(1)));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
