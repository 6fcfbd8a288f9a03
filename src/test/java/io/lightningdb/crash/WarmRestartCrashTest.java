package io.lightningdb.crash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.WarmRestartStats;
import io.lightningdb.testing.ChildJvm;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import io.lightningdb.testing.WarmRestarts;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * kill -9 during a warm restart: a {@link WarmingChild} opens a database whose page list names its
 * cached pages, and is killed at a seeded delay, while the list is being read back, while it writes,
 * or while its checkpoint thread rewrites the list. Each reopen finds every acknowledged write and
 * a sound tree, and its own warm restart ends without an error, whatever list the kill left.
 */
class WarmRestartCrashTest {
    private static final int CYCLES = 4;
    private static final int BASE_KEYS = 20_000;

    static LightningDbConfig config() {
        return LightningDbConfig.builder().pageSize(4096).cacheSize(16L << 20).walSyncMode(WalSyncMode.SYNC)
                .maxWalSize(1L << 20).warmRestart(true).build();
    }

    @Test
    void aKillWhileTheListIsReadOrWrittenLosesNoAcknowledgedWrite() throws Exception {
        long seed = Seeds.seed("WarmRestartCrashTest");
        SplittableRandom r = new SplittableRandom(seed);
        Path dir = TestDirs.fresh("warm-crash").resolve("db");
        try (Database db = Database.open(dir, config())) {
            for (int i = 0; i < BASE_KEYS; i++) {
                db.put(WarmingChild.key(-1, i), WarmingChild.value(-1, i));
            }
        }
        List<Integer> acked = new ArrayList<>();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            long delayMs = r.nextLong(0, 600);
            Process child = new ProcessBuilder(ChildJvm.command(WarmingChild.class, dir.toString(),
                    Integer.toString(cycle))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            AtomicInteger lastAck = new AtomicInteger(-1);
            Object ready = new Object();
            boolean[] isReady = {false};
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.US_ASCII))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.equals("READY")) {
                            synchronized (ready) {
                                isReady[0] = true;
                                ready.notifyAll();
                            }
                        } else if (line.startsWith("ACK ")) {
                            lastAck.set(Integer.parseInt(line.substring(4)));
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the pipe closes when the child dies
                }
            });
            synchronized (ready) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (!isReady[0] && child.isAlive() && System.currentTimeMillis() < deadline) {
                    ready.wait(100);
                }
            }
            assertTrue(isReady[0], "seed " + seed + " cycle " + cycle + ": the child did not open the database");
            Thread.sleep(delayMs);
            child.toHandle().destroyForcibly();
            assertEquals(137, child.waitFor(), "the child ended by SIGKILL");
            reader.join(TimeUnit.SECONDS.toMillis(30));
            acked.add(lastAck.get());
            String where = "seed " + seed + " (replay with -Dlightning.seed=" + seed + ") cycle " + cycle
                    + ", killed " + delayMs + " ms after READY, " + (lastAck.get() + 1) + " writes acknowledged";
            System.out.println("WarmRestartCrashTest: " + where);
            try (Database db = Database.open(dir, config())) {
                assertEquals(List.of(), db.verify(), where);
                WarmRestartStats w = WarmRestarts.await(db);
                assertTrue(w.finished(), where + ": " + w);
                for (int i = 0; i < BASE_KEYS; i += 13) {
                    assertArrayEquals(WarmingChild.value(-1, i), db.get(WarmingChild.key(-1, i)), where + ": base key " + i);
                }
                for (int c = 0; c <= cycle; c++) {
                    for (int i = 0; i <= acked.get(c); i++) {
                        assertArrayEquals(WarmingChild.value(c, i), db.get(WarmingChild.key(c, i)),
                                where + ": acknowledged write " + i + " of cycle " + c);
                    }
                }
            }
        }
        TestDirs.deleteTree(dir.getParent());
    }
}
