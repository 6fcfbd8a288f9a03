package io.lightningdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.SparseData;
import io.lightningdb.testing.TestDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code lightning compact} and {@code check}'s progress, against a database with most keys deleted. */
class CompactCommandTest {
    private static final Pattern REPORT = Pattern.compile(
            "compacted (.+): ([0-9.]+) MiB -> ([0-9.]+) MiB \\(([0-9.-]+) MiB reclaimed\\), ([0-9,]+) pages moved, [0-9.]+ s\\n");
    private final Path dir = TestDirs.fresh("cli-compact");
    private final Path db = dir.resolve("db");

    @AfterEach
    void cleanUp() throws Exception {
        TestDirs.deleteTree(dir);
    }

    /** Runs a command as off a terminal with a plain progress line at every check of the clock. */
    private static String[] plain(int exit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true), new PrintStream(err, true), false, 1);
        assertEquals(exit, code, () -> out + "\n" + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void compactShrinksTheFileKeepsEveryKeyAndShowsProgress() throws Exception {
        long seed = Seeds.seed("CompactCommandTest");
        SparseData data = new SparseData(20_000, seed);
        try (Database d = Database.open(db, LightningDbConfig.builder().cacheSize(64L << 20).build())) {
            data.load(d, 1);
            data.deleteMost(d, 0.9);
        }
        long before = Files.size(db.resolve(Database.FILE_NAME));
        String out = plain(0, "compact", "--db", db.toString())[0];
        assertTrue(out.contains("  compact: 100%  "), "a plain progress line off a terminal: " + out);
        Matcher m = REPORT.matcher(out.substring(out.indexOf("compacted ")));
        assertTrue(m.matches(), out);
        assertEquals(db.toString(), m.group(1));
        double beforeMiB = Double.parseDouble(m.group(2));
        double afterMiB = Double.parseDouble(m.group(3));
        assertEquals(before / 1048576.0, beforeMiB, 0.05, "the size it started from");
        long after = Files.size(db.resolve(Database.FILE_NAME));
        assertEquals(after / 1048576.0, afterMiB, 0.05, "the size it reports is the file's");
        assertTrue(after * 3 < before, "the file shrank to under a third: " + before + " -> " + after);
        try (Database d = Database.open(db)) {
            data.check(d, "after lightning compact");
            List<long[]> calls = new ArrayList<>();
            assertEquals(List.of(), d.verify((done, total) -> calls.add(new long[] {done, total})));
            long total = calls.get(0)[1];
            for (int i = 0; i < calls.size(); i++) {
                assertEquals(total, calls.get(i)[1], "one total");
                assertTrue(i == 0 || calls.get(i)[0] >= calls.get(i - 1)[0], "never backwards");
            }
            assertEquals(total, calls.get(calls.size() - 1)[0], "ends at the total");
            assertTrue(calls.size() > 100, "a report per page read: " + calls.size());
        }
        String check = plain(0, "check", "--db", db.toString())[0];
        assertTrue(check.contains("  check: 100%  "), check);
        assertTrue(check.contains("ok: " + String.format("%,d", data.liveKeys()) + " keys"), check);
        assertTrue(CliCommandsTest.err(1, "compact", "--db", dir.resolve("none").toString())
                .endsWith("no database here (no lightning.db); pass --db DIR to name the directory of one"));
    }
}
