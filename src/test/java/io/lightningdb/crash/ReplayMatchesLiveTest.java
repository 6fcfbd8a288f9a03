package io.lightningdb.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.testing.ChildJvm;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writers side by side on the same keys, then a halt with no checkpoint: the tree rebuilt by
 * replaying the log must equal the tree the writers left. It would not if, for some key, two
 * writes were logged in one order and applied in the other (what the key stripes prevent).
 */
class ReplayMatchesLiveTest {
    @Test
    void replayOfInterleavedWritersRebuildsTheLiveTree() throws Exception {
        long seed = Seeds.seed("ReplayMatchesLiveTest");
        Path root = TestDirs.fresh("replay-live");
        Path dir = root.resolve("db");
        for (int round = 0; round < 3; round++) {
            Path stderr = root.resolve("child.stderr");
            Process p = new ProcessBuilder(ChildJvm.command(SharedKeysWriter.class, dir.toString(),
                    Long.toString(seed + round * 100), "3", "1500")).redirectError(stderr.toFile()).start();
            String line;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                line = in.readLine();
            }
            assertEquals(0, p.waitFor(), () -> "child failed: " + read(stderr));
            assertTrue(line != null && line.startsWith("DIGEST "), () -> "child said " + read(stderr));
            String[] f = line.split(" ");
            long live = Long.parseLong(f[1]);
            assertTrue(Long.parseLong(f[3]) > 0, "the child's writers ran side by side: " + line);
            try (Database db = Database.open(dir, SharedKeysWriter.config())) {
                assertTrue(db.recovery().records() > 0, "the open replayed the log");
                assertEquals(List.of(), db.verify());
                assertEquals(live, SharedKeysWriter.digest(db), "seed " + seed + " round " + round
                        + ": the replayed tree differs from the live one");
            }
        }
        TestDirs.deleteTree(root);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
