package io.lightningdb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.testing.TestDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code lightning demo} on small key counts: create, reopen and check, refuse foreign data, report damage. */
class DemoTest {
    private final Path dir = TestDirs.fresh("demo");

    @AfterEach
    void cleanUp() throws Exception {
        TestDirs.deleteTree(dir);
    }

    private String demo(int expectedExit, long keys) {
        String[] outErr = MainTest.run(expectedExit, "demo", "--dir", dir.toString(), "--keys", Long.toString(keys));
        return outErr[0] + outErr[1];
    }

    private static void assertContains(String out, String... parts) {
        for (String p : parts) {
            assertTrue(out.contains(p), () -> "missing '" + p + "' in:\n" + out);
        }
    }

    @Test
    void firstRunCreatesSecondReopensAndChecksWhatTheFirstLeft() {
        String first = demo(0, 20_000);
        assertContains(first, "created a new database", "load ", "random reads", "range scans", "delete", "ops/s",
                "db.stats():", "18,001 (18,000 demo keys and the run record)", "tree height", "hit ratio", "closed in");
        assertFalse(first.contains("reopened"), first);
        assertFalse(first.contains("MISMATCH"), first);
        assertFalse(first.contains("\r"), "no progress bar off a terminal:\n" + first);

        String second = demo(0, 20_000);
        assertContains(second, "reopened the existing database (Database.wasReopened() = true), left by demo run 1",
                "it loaded 20,000 keys and deleted 2,000, leaving 18,000", "18,001 keys found",
                "verify", "all as run 1 left them", "tree check", "all sound", "reload", "random reads", "range scans",
                "delete", "ops/s", "db.stats():");
        assertFalse(second.contains("MISMATCH"), second);

        try (Database db = Database.open(dir)) {
            assertTrue(db.wasReopened());
            assertEquals(18_001, db.stats().keys());
            assertArrayEquals(DemoData.value(2, 5), db.get(DemoData.key(5)), "run 2's value of key 5");
            assertNull(db.get(DemoData.key(10)), "key 10 is deleted at the end of every run");
            assertArrayEquals("run=2 keys=20000".getBytes(StandardCharsets.US_ASCII), db.get(DemoData.META_KEY));
        }
    }

    @Test
    void damageBetweenRunsIsReportedAndExitsOne() {
        demo(0, 20_000);
        try (Database db = Database.open(dir)) {
            for (long i = 1; i < 20_000; i += 10) {
                db.put(DemoData.key(i), "tampered".getBytes(StandardCharsets.US_ASCII));
            }
            db.delete(DemoData.key(3));
        }
        String out = demo(1, 20_000);
        assertContains(out, "MISMATCH: 18,000 keys in the database, run 1 left 18,001",
                "MISMATCH at \"key0000000", "found \"tampered\"", "FAILED");
    }

    @Test
    void fewerKeysThanTheLastRunDeletesTheRestAndTheNextRunAgrees() {
        demo(0, 2_000);
        assertContains(demo(0, 1_000), "left by demo run 1", "all as run 1 left them", "1,000 keys beyond --keys deleted");
        assertContains(demo(0, 1_000), "left by demo run 2", "it loaded 1,000 keys and deleted 100, leaving 900",
                "all as run 2 left them");
    }

    @Test
    void refusesADatabaseTheDemoDidNotWriteAndLeavesItAlone() {
        try (Database db = Database.open(dir)) {
            db.put("mine".getBytes(StandardCharsets.US_ASCII), "precious".getBytes(StandardCharsets.US_ASCII));
        }
        String out = demo(1, 1_000);
        assertContains(out, "lightning demo: " + dir.toAbsolutePath() + " holds a database the demo did not write (1 keys",
                "pass --dir");
        try (Database db = Database.open(dir)) {
            assertEquals(1, db.stats().keys());
            assertArrayEquals("precious".getBytes(StandardCharsets.US_ASCII), db.get("mine".getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void keysOutOfRangeIsAUsageError() {
        String err = MainTest.run(64, "demo", "--dir", dir.toString(), "--keys", "5")[1];
        assertEquals("lightning demo: --keys must be an integer in [100, 100000000], got '5'; see 'lightning demo --help'",
                err.strip());
        assertTrue(MainTest.run(64, "demo", "--keys")[1].startsWith("lightning demo: Missing required parameter for option "
                + "'--keys'"));
        assertTrue(MainTest.run(64, "demo", "--key", "5")[1].startsWith("lightning demo: Unknown options: '--key', '5'"));
    }

    @Test
    void progressBarRedrawsInPlaceOnATerminalAndNowhereElse() throws Exception {
        ByteArrayOutputStream tty = new ByteArrayOutputStream();
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        ProgressBar onTty = new ProgressBar(new PrintWriter(tty, true), true, 60_000_000_000L, "load", 1024);
        ProgressBar onPipe = new ProgressBar(new PrintWriter(pipe, true), false, 60_000_000_000L, "load", 1024);
        Thread.sleep(120);
        onTty.update(512);
        onPipe.update(512);
        String drawn = tty.toString();
        assertTrue(drawn.startsWith("\r  load         [###############...............]  50%  512/1,024"), drawn);
        assertFalse(drawn.contains("\n"), drawn);
        onTty.clear();
        onPipe.clear();
        assertTrue(tty.toString().endsWith("\r"), "cleared back to the line start");
        assertEquals("", pipe.toString(), "off a terminal nothing until the plain interval has passed");
        ProgressBar plain = new ProgressBar(new PrintWriter(pipe, true), false, 50_000_000L, "check", 2048);
        plain.update(256);
        assertEquals("", pipe.toString(), "not before the interval");
        Thread.sleep(80);
        plain.update(512);
        plain.update(600);
        assertTrue(pipe.toString().matches("  check: 25%  512/2,048  [0-9,]+/s\n"), pipe.toString());
    }

    @Test
    void keysSortInIndexOrderAndValuesDifferPerRun() {
        assertEquals("key0000000000042", new String(DemoData.key(42), StandardCharsets.US_ASCII));
        assertTrue(java.util.Arrays.compareUnsigned(DemoData.key(9), DemoData.key(10)) < 0);
        assertTrue(java.util.Arrays.compareUnsigned(DemoData.key(DemoData.MAX_INDEX), DemoData.META_KEY) < 0);
        assertEquals(DemoData.VALUE_BYTES, DemoData.value(1, 42).length);
        assertFalse(java.util.Arrays.equals(DemoData.value(1, 42), DemoData.value(2, 42)));
        assertFalse(java.util.Arrays.equals(DemoData.value(1, 42), DemoData.value(1, 43)));
        for (long n : new long[] {100, 1_000, 20_000, 1_000_000, 999_983}) {
            long stride = DemoData.stride(n);
            java.util.BitSet seen = new java.util.BitSet((int) n);
            long i = 0;
            for (long j = 0; j < n; j++) {
                seen.set((int) i);
                i = (i + stride) % n;
            }
            assertEquals(n, seen.cardinality(), "load order visits every key once for n=" + n);
        }
    }
}
