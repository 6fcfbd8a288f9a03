package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A log whose tail a crash damaged: a writer process writes keys that live only in the synced log
 * and is killed; then the tail is flipped, truncated or followed by garbage. Opening cuts the log
 * at the last valid record, says so, and the database holds exactly a prefix of the writes.
 */
class LogDamageTest {
    private static final int KEYS = 2000;
    private final Path dir = TestDirs.fresh("log-damage");

    @AfterEach
    void cleanUp() throws IOException {
        TestDirs.deleteTree(dir);
    }

    /** Writes the keys into the log only (no checkpoint), kills the writer, returns the last segment. */
    private Path crashedWriter() throws Exception {
        Process child = HoldOpen.start(dir, KEYS, "log-only");
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList().getLast();
        }
    }

    /** Offset just past the last non-zero byte of the file: the end of what was written. */
    private static long writtenEnd(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int end = all.length;
        while (end > 0 && all[end - 1] == 0) {
            end--;
        }
        return end;
    }

    /** Opens and checks that the content is keys [0, k) for some k >= minKeys; returns k. */
    private int openAndCheckPrefix(boolean expectCut, int minKeys) {
        try (Database db = Database.open(dir)) {
            RecoveryReport r = db.recovery();
            assertEquals(expectCut, r.tailCut(), r.toString());
            if (expectCut) {
                assertTrue(r.cutReason() != null && !r.cutReason().isBlank(), r.toString());
            }
            int k = 0;
            while (k < KEYS && db.get(DurabilityTest.key(k)) != null) {
                assertArrayEquals(DurabilityTest.value(k), db.get(DurabilityTest.key(k)), "key " + k);
                k++;
            }
            for (int i = k; i < KEYS; i++) {
                assertNull(db.get(DurabilityTest.key(i)), "key " + i + " after the first missing key " + k);
            }
            assertTrue(k >= minKeys, "only " + k + " keys survived");
            assertEquals(List.of(), db.verify());
            return k;
        }
    }

    @Test
    void anUndamagedLogReplaysEveryWrite() throws Exception {
        crashedWriter();
        assertEquals(KEYS, openAndCheckPrefix(false, KEYS));
    }

    @Test
    void aFlippedBitInTheLastRecordCutsTheLogThere() throws Exception {
        Path seg = crashedWriter();
        long end = writtenEnd(seg);
        flip(seg, end - 60);
        int k = openAndCheckPrefix(true, KEYS - 3);
        assertTrue(k < KEYS, "the damaged record is not replayed");
        // The cut is permanent: the next open finds a clean log and the same keys.
        assertEquals(k, openAndCheckPrefix(false, k));
    }

    @Test
    void aTruncatedTailCutsTheLogAtTheLastWholeRecord() throws Exception {
        Path seg = crashedWriter();
        long end = writtenEnd(seg);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.truncate(end - 30);
        }
        int k = openAndCheckPrefix(true, KEYS - 3);
        assertTrue(k < KEYS);
    }

    @Test
    void garbageAfterTheLastRecordIsNeverData() throws Exception {
        Path seg = crashedWriter();
        long end = writtenEnd(seg);
        byte[] garbage = new byte[4096];
        new java.util.SplittableRandom(7).nextBytes(garbage);
        try (FileChannel ch = FileChannel.open(seg, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(garbage), end + 64);
        }
        // The log's end mark says where the data ends: the garbage past it is not even looked at.
        assertEquals(KEYS, openAndCheckPrefix(false, KEYS));
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            ch.write(b, offset);
        }
    }
}
