package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.SparseData;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@code autoCompactThreshold}: after deletes, the checkpoint thread gives the file's free tail
 * back by itself; with 0 it does not; under updates that keep reusing their free space it stays
 * idle, and once they stop it gives back what they left free.
 */
class AutoCompactionTest {
    private static final long DEADLINE_NANOS = 60_000_000_000L;

    private static LightningDbConfig config(double threshold) {
        // Small log bound: background checkpoints come every MiB of writes.
        return LightningDbConfig.builder().pageSize(4096).cacheSize(16L << 20).maxWalSize(1L << 20)
                .walSyncMode(WalSyncMode.ASYNC).autoCompactThreshold(threshold).build();
    }

    private static long fileSize(Path dir) throws Exception {
        return Files.size(dir.resolve(Database.FILE_NAME));
    }

    /** Writes that drive background checkpoints without needing much space: one key rewritten. */
    private static void trickle(Database db, SplittableRandom r, int puts) {
        byte[] v = new byte[1000];
        for (int i = 0; i < puts; i++) {
            r.nextBytes(v);
            db.put("trickle".getBytes(), v);
        }
    }

    /** Loads {@code data}, checkpoints, deletes about 90% of it; returns the file's size after the load. */
    private static long loadThenDeleteMost(Database db, SparseData data, Path dir) throws Exception {
        data.load(db, 1);
        db.checkpoint();
        long loaded = fileSize(dir);
        data.deleteMost(db, 0.9);
        return loaded;
    }

    @Test
    void afterDeletesTheFileShrinksWithoutACommand() throws Exception {
        long seed = Seeds.seed("AutoCompactionTest.afterDeletes");
        SplittableRandom r = new SplittableRandom(seed);
        Path dir = TestDirs.fresh("auto-compact");
        SparseData data = new SparseData(30_000, seed);
        try (Database db = Database.open(dir, config(0.25))) {
            long loaded = loadThenDeleteMost(db, data, dir);
            long start = System.nanoTime();
            while (db.stats().space().backgroundCompactions() == 0 && System.nanoTime() - start < DEADLINE_NANOS) {
                trickle(db, r, 500);
            }
            SpaceStats s = db.stats().space();
            long after = fileSize(dir);
            System.out.printf("auto compaction (seed %d): %,d live bytes, file %,d -> %,d bytes, %d runs, %,d bytes"
                    + " back%n", seed, data.liveBytes(), loaded, after, s.backgroundCompactions(),
                    s.backgroundBytesReclaimed());
            assertTrue(s.backgroundCompactions() >= 1, "no background compaction within 60 s: " + s);
            assertTrue(s.backgroundBytesReclaimed() > loaded / 2, "reclaimed " + s.backgroundBytesReclaimed()
                    + " of a " + loaded + "-byte file of which ~90% was deleted");
            assertTrue(after < loaded / 2, "file " + loaded + " -> " + after);
            data.check(db, "after a background compaction");
            assertEquals(List.of(), db.verify());
        }
        try (Database db = Database.open(dir, config(0.25))) {
            data.check(db, "reopened after a background compaction");
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void zeroTurnsItOff() throws Exception {
        long seed = Seeds.seed("AutoCompactionTest.off");
        SplittableRandom r = new SplittableRandom(seed);
        Path dir = TestDirs.fresh("auto-compact-off");
        SparseData data = new SparseData(30_000, seed);
        try (Database db = Database.open(dir, config(0))) {
            long loaded = loadThenDeleteMost(db, data, dir);
            // As many checkpoints as the test above needs at most, and then some.
            long checkpoints = db.stats().durability().checkpoints();
            while (db.stats().durability().checkpoints() < checkpoints + 12) {
                trickle(db, r, 500);
            }
            assertEquals(0, db.stats().space().backgroundCompactions());
            assertTrue(fileSize(dir) >= loaded * 9 / 10, "the file shrank with background compaction off: "
                    + loaded + " -> " + fileSize(dir));
            // The deleted pages' slots are free (every checkpoint gives them back), just not given back to the file system.
            SpaceStats space = db.stats().space();
            assertTrue(space.freePageBytes() > space.dataFileBytes() / 2, "90% deleted, 12 checkpoints: " + space);
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void updatesThatReuseTheirSpaceDoNotTriggerIt() throws Exception {
        long seed = Seeds.seed("AutoCompactionTest.churn");
        SplittableRandom r = new SplittableRandom(seed);
        Path dir = TestDirs.fresh("auto-compact-churn");
        SparseData data = new SparseData(20_000, seed);
        try (Database db = Database.open(dir, config(0.25))) {
            data.load(db, 1);
            long checkpoints = db.stats().durability().checkpoints();
            // Random overwrites of every key at its value's length (in its leaf, in place in the
            // value pages, or a new overflow chain for the old one's pages): each checkpoint
            // rewrites most pages to new slots and frees their old ones two checkpoints later;
            // that space is always in use again.
            while (db.stats().durability().checkpoints() < checkpoints + 20) {
                int i = r.nextInt(data.size());
                byte[] v = new byte[data.length(i)];
                r.nextBytes(v);
                db.put(SparseData.key(i), v);
            }
            SpaceStats s = db.stats().space();
            System.out.printf("churn (seed %d): %d checkpoints, file %,d bytes, %,d live, %d background runs%n", seed,
                    db.stats().durability().checkpoints() - checkpoints, s.dataFileBytes(), s.liveBytes(),
                    s.backgroundCompactions());
            assertEquals(0, s.backgroundCompactions(), "seed " + seed + ": compacted space the updates reuse: " + s);
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aQuietDatabaseGivesBackWhatABurstOfUpdatesLeftFree() throws Exception {
        long seed = Seeds.seed("AutoCompactionTest.quiet");
        SplittableRandom r = new SplittableRandom(seed);
        Path dir = TestDirs.fresh("auto-compact-quiet");
        SparseData data = new SparseData(20_000, seed);
        // Checkpoints every 8 MiB of log: each rewrites most pages, and the images before hold their old slots.
        // A threshold of a tenth: where in its checkpoint cycle the burst ends decides whether a
        // quarter of the file is free then (16.7 of 69.9 MB in one run), and the test is about the
        // quiet ticks asking, not about the default threshold.
        LightningDbConfig c = LightningDbConfig.builder().pageSize(4096).cacheSize(64L << 20).maxWalSize(8L << 20)
                .walSyncMode(WalSyncMode.ASYNC).autoCompactThreshold(0.1).build();
        try (Database db = Database.open(dir, c)) {
            data.load(db, 1);
            long checkpoints = db.stats().durability().checkpoints();
            while (db.stats().durability().checkpoints() < checkpoints + 4) {
                data.update(db, r.nextInt(data.size()));
            }
            long burst = fileSize(dir);
            SpaceStats before = db.stats().space();
            assertEquals(0, before.backgroundCompactions(), "seed " + seed + ": compacted during the burst");
            assertTrue(before.freePageBytes() > before.dataFileBytes() / 5, "seed " + seed + ": the burst left "
                    + "too little free to test: " + before);
            // No write from here on: only the idle ticks can act.
            long start = System.nanoTime();
            while (db.stats().space().backgroundCompactions() == 0 && System.nanoTime() - start < DEADLINE_NANOS) {
                Thread.sleep(200);
            }
            SpaceStats after = db.stats().space();
            System.out.printf("quiet after a burst (seed %d): file %,d -> %,d bytes in %.1f s, %,d live%n", seed, burst,
                    fileSize(dir), (System.nanoTime() - start) / 1e9, after.liveBytes());
            assertTrue(after.backgroundCompactions() >= 1, "seed " + seed + ": no compaction in 60 s of quiet: " + after);
            assertTrue(fileSize(dir) < burst - before.freePageBytes() / 2, "seed " + seed + ": file " + burst + " -> "
                    + fileSize(dir) + " with " + before.freePageBytes() + " free");
            assertEquals(0, db.stats().durability().logBytesSinceCheckpoint(), "the quiet log was checkpointed");
            data.check(db, "after a compaction in the quiet");
            assertEquals(List.of(), db.verify());
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void theThresholdIsChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LightningDbConfig.builder().autoCompactThreshold(0.95).build());
        assertTrue(e.getMessage().contains("autoCompactThreshold must be in [0, 0.9]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LightningDbConfig.builder().autoCompactThreshold(-0.1).build());
        assertThrows(IllegalArgumentException.class,
                () -> LightningDbConfig.builder().autoCompactThreshold(Double.NaN).build());
        assertEquals(0.25, LightningDbConfig.defaults().autoCompactThreshold());
    }
}
