package io.lightningdb.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lightningdb.CompactionReport;
import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.SpaceStats;
import io.lightningdb.WalSyncMode;
import io.lightningdb.testing.ChildJvm;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.SparseData;
import io.lightningdb.testing.TestDirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} in the middle of {@link Database#compact}: each cycle makes the database sparse
 * (a new version of every key, then ~90% deleted), starts a {@link CompactingChild} that compacts
 * it while writing, SIGKILLs it at a seeded point (a delay after it opened, landing in the first
 * checkpoints, or a share of the compaction's progress, landing in the moves, the last
 * checkpoints or the truncation), then reopens: {@code verify()} clean, every key of the data set
 * as it was, and every write the child acknowledged, in this cycle and the earlier ones.
 * {@code -Dlightning.compact.crash.cycles=N} runs more cycles; {@code -Dlightning.seed=S} replays.
 */
class CompactionCrashTest {
    private static final int CYCLES = Integer.getInteger("lightning.compact.crash.cycles", 4);
    private static final long TIMEOUT_MS = 120_000;

    /** {@code background}: a small log bound, so the child's writes bring background checkpoints soon. */
    static LightningDbConfig config(boolean background) {
        return LightningDbConfig.builder().pageSize(4096).cacheSize(4L << 20).maxDatabaseSize(1L << 30)
                .walSyncMode(WalSyncMode.SYNC).maxWalSize(background ? 1L << 20 : 4L << 20)
                .autoCompactThreshold(background ? 0.25 : 0).build();
    }

    @Test
    void aKillDuringCompactionLosesNoAcknowledgedWrite() throws Exception {
        killCycles("CompactionCrashTest", false);
    }

    /**
     * The same with the compaction the checkpoint thread starts by itself ({@code autoCompactThreshold}):
     * the child only writes, and the kill comes at a seeded delay, in or around that compaction.
     */
    @Test
    void aKillDuringBackgroundCompactionLosesNoAcknowledgedWrite() throws Exception {
        killCycles("CompactionCrashTest.background", true);
    }

    private static void killCycles(String name, boolean background) throws Exception {
        long seed = Seeds.seed(name);
        SplittableRandom timing = new SplittableRandom(seed ^ 0x3C6EF372FE94F82BL);
        Path root = TestDirs.fresh("compact-crash");
        Path dir = root.resolve("db");
        SparseData data = new SparseData(15_000, seed);
        List<Integer> acked = new ArrayList<>();
        long lastSparse = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String where = "seed=" + seed + " cycle=" + cycle + " (replay with -Dlightning.seed=" + seed + ", database "
                    + dir + " kept)";
            try (Database db = Database.open(dir, config(background))) {
                data.load(db, cycle + 1);
                data.deleteMost(db, 0.9);
            }
            long sparse = Files.size(dir.resolve(Database.FILE_NAME));
            lastSparse = sparse;
            // One kill in four during the first checkpoints (a delay after READY), one in four in the
            // last steps (the checkpoints after the moves, the cut: a report of the last 3 units plus up
            // to 30 ms), the others during the moves (a share of the progress).
            // In the background mode every kill is a delay after READY: the compaction starts after
            // the first background checkpoint, tens of ms in, and takes hundreds.
            int kind = background ? 0 : timing.nextInt(4);
            boolean early = kind == 0;
            long delayMs = background ? timing.nextLong(0, 1500) : early ? timing.nextLong(0, 400) : timing.nextLong(0, 30);
            int lastUnits = kind == 1 ? timing.nextInt(3) + 1 : 0;
            double share = timing.nextDouble();
            Process child = new ProcessBuilder(ChildJvm.command(CompactingChild.class, dir.toString(),
                    Integer.toString(cycle), Boolean.toString(background))).redirectError(root.resolve("child.stderr").toFile()).start();
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.US_ASCII))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the pipe closes when the child dies
                }
            });
            int lastAck = -1;
            String killedAt = null;
            long deadline = System.currentTimeMillis() + TIMEOUT_MS;
            long killAt = Long.MAX_VALUE;
            String killReason = null;
            while (killedAt == null) {
                String line = lines.poll(10, TimeUnit.MILLISECONDS);
                if (System.currentTimeMillis() > deadline || !child.isAlive() && line == null && lines.isEmpty()) {
                    child.toHandle().destroyForcibly();
                    fail(where + ": the child " + (child.isAlive() ? "timed out" : "died") + ": "
                            + Files.readString(root.resolve("child.stderr")));
                }
                if (line == null) {
                    if (System.currentTimeMillis() >= killAt) {
                        killedAt = killReason;
                    }
                    continue;
                }
                if (line.equals("READY") && early) {
                    killAt = System.currentTimeMillis() + delayMs;
                    killReason = delayMs + " ms after READY";
                } else if (line.startsWith("ACK ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                } else if (line.startsWith("PROGRESS ") && !early) {
                    String[] p = line.split(" ");
                    long done = Long.parseLong(p[1]);
                    long total = Long.parseLong(p[2]);
                    if (killAt == Long.MAX_VALUE
                            && (lastUnits > 0 ? done >= total - lastUnits + 1 : done >= share * (total - 3))) {
                        killAt = System.currentTimeMillis() + (lastUnits > 0 ? delayMs : 0);
                        killReason = "progress " + done + "/" + total + " + " + (lastUnits > 0 ? delayMs : 0) + " ms";
                    }
                } else if (line.equals("DONE") && !background) {
                    killedAt = "after the compaction";
                } else if (line.startsWith("BACKGROUND ")) {
                    killReason = killReason + ", after " + line.substring(11) + " background compactions";
                }
                if (System.currentTimeMillis() >= killAt) {
                    killedAt = killReason;
                }
            }
            child.toHandle().destroyForcibly();
            assertEquals(137, child.waitFor(), where + ": the child did not end by SIGKILL");
            reader.join(TimeUnit.SECONDS.toMillis(30));
            for (String line; (line = lines.poll()) != null; ) {
                if (line.startsWith("ACK ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                }
            }
            acked.add(lastAck);
            long after = Files.size(dir.resolve(Database.FILE_NAME));
            System.out.printf(name + " cycle %d: killed at %s, %d writes acknowledged, file %,d -> %,d bytes%n",
                    cycle, killedAt, lastAck + 1, sparse, after);
            try (Database db = Database.open(dir, config(background))) {
                List<String> problems = db.verify();
                if (!problems.isEmpty()) {
                    fail(where + ": verify() after a kill " + killedAt + ": " + problems.subList(0, Math.min(5,
                            problems.size())));
                }
                data.check(db, where + ", killed at " + killedAt);
                for (int c = 0; c <= cycle; c++) {
                    for (int i = 0; i <= acked.get(c); i++) {
                        assertArrayEquals(CompactingChild.writerValue(c, i), db.get(CompactingChild.writerKey(c, i)),
                                where + ": acknowledged write " + i + " of cycle " + c + ", killed at " + killedAt);
                    }
                }
            }
        }
        // After every killed compaction, one that runs to the end still gives the space back: at most a
        // quarter of the file is left free (the last kill may have come after its compaction finished,
        // leaving this one little to do; in the background mode the child's writes since then also
        // grew the data, so the file need not end below half of what the last cycle left sparse).
        try (Database db = Database.open(dir, config(background))) {
            CompactionReport r = db.compact();
            SpaceStats space = db.stats().space();
            System.out.printf("%s: compacted after the kills, from %,d bytes: %s; %s%n", name, lastSparse, r, space);
            assertTrue(space.freePageBytes() <= space.dataFileBytes() / 4,
                    "after the kills, from " + lastSparse + " bytes: " + r + ", " + space);
            assertEquals(List.of(), db.verify());
            data.check(db, "seed=" + seed + ": compacted after the kills");
        }
        TestDirs.deleteTree(root);
    }
}
