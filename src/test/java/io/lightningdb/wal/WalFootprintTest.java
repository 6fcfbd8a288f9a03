package io.lightningdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import io.lightningdb.wal.WalTestLog.Rec;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The log's disk: small when new, segments that grow with use, one spare at most, nothing spare after close. */
class WalFootprintTest {
    private static final long SEG = 64L << 20;
    private static final long MIB = 1L << 20;
    private Path dir;

    @BeforeEach
    void setUp() {
        dir = TestDirs.fresh("wal-footprint");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestDirs.deleteTree(dir);
    }

    @Test
    void aNewLogTakesOneMegabyteAndSegmentsDoubleUpToTheConfiguredSize() throws IOException {
        SplittableRandom rnd = Seeds.random("segmentsDouble");
        List<Rec> expected = new ArrayList<>();
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.ASYNC, SEG), 0)) {
            assertEquals(Segments.INITIAL_SEGMENT_SIZE, dirBytes(), "a new log: its first segment, no spare");
            byte[] b = new byte[8000];
            // 1 + 2 + 4 + 8 + 16 + 32 MiB, then full-size segments
            while (wal.endLsn() < 140 * MIB) {
                rnd.nextBytes(b);
                expected.add(WalTestLog.append(wal, new Rec(-1, -1, (byte) 3, new byte[] {1}, b.clone())));
                assertTrue(spareFiles() <= 1, "spares: " + spareFiles());
            }
            wal.sync();
            List<Long> sizes = new ArrayList<>();
            for (Path p : Segments.list(dir).values()) {
                sizes.add(Files.size(p));
            }
            assertEquals(List.of(1 * MIB, 2 * MIB, 4 * MIB, 8 * MIB, 16 * MIB, 32 * MIB, 64 * MIB, 64 * MIB),
                    sizes, "segment sizes");
        }
        assertEquals(0, spareFiles(), "a closed log keeps no spare");
        Map.Entry<Long, Path> last = Segments.list(dir).lastEntry();
        long used = WalFormat.SEGMENT_HEADER_SIZE + (expected.getLast().end() - last.getKey())
                + WalFormat.RECORD_HEADER_SIZE;
        long size = Files.size(last.getValue());
        assertTrue(size >= used && size < used + WalFormat.SEGMENT_HEADER_SIZE,
                "the last segment is cut after its end mark: " + size + " bytes for " + used + " used");
        WalRecovery[] rec = new WalRecovery[1];
        WalTestLog.assertSame(expected, WalTestLog.readAll(dir, 0, rec));
        assertFalse(rec[0].cut(), "a cut segment ends cleanly at its end mark");
        // and the log goes on after the cut segment
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), rec[0].endLsn())) {
            expected.add(WalTestLog.append(wal, new Rec(-1, -1, (byte) 9, new byte[] {2}, new byte[100])));
        }
        WalTestLog.assertSame(expected, WalTestLog.readAll(dir, 0, rec));
        assertFalse(rec[0].cut());
    }

    @Test
    void aCloseWithEveryRecordCheckpointedLeavesOneEmptySegmentAndTheLogGoesOnFromIt() throws IOException {
        SplittableRandom rnd = Seeds.random("emptyAtClose");
        long end;
        Path old;
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.ASYNC, SEG), 0)) {
            byte[] b = new byte[8000];
            while (wal.endLsn() < 5 * MIB) {
                rnd.nextBytes(b);
                WalTestLog.append(wal, new Rec(-1, -1, (byte) 3, new byte[] {1}, b.clone()));
            }
            end = wal.endLsn();
            old = Segments.list(dir).lastEntry().getValue();
            Files.copy(old, dir.resolve("kept-aside"));
            wal.checkpointedThrough(end);
        }
        Map<Long, Path> left = Segments.list(dir);
        assertEquals(List.of(end), List.copyOf(left.keySet()), "one segment, starting at the end");
        assertEquals(8192, Files.size(left.get(end)), "a header and an end mark");
        WalRecovery[] rec = new WalRecovery[1];
        assertEquals(List.of(), WalTestLog.readAll(dir, end, rec));
        assertEquals(end, rec[0].endLsn());
        assertFalse(rec[0].cut(), "the empty segment ends at its end mark");

        // A crash between the rename and the deletes: the older segment is still there.
        Files.move(dir.resolve("kept-aside"), old);
        assertEquals(List.of(), WalTestLog.readAll(dir, end, rec), "a reader from the checkpoint starts at the empty one");
        assertEquals(end, rec[0].endLsn());
        List<Rec> after = new ArrayList<>();
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), end)) {
            after.add(WalTestLog.append(wal, new Rec(-1, -1, (byte) 9, new byte[] {2}, new byte[100])));
        }
        WalTestLog.assertSame(after, WalTestLog.readAll(dir, end, rec));
        assertFalse(rec[0].cut());
    }

    @Test
    void aRecordLargerThanTheNextSegmentGetsASegmentThatHoldsIt() throws IOException {
        List<Rec> expected = new ArrayList<>();
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), 0)) {
            expected.add(WalTestLog.append(wal, new Rec(-1, -1, (byte) 1, new byte[] {1}, new byte[10])));
            byte[] big = new byte[(int) (5 * MIB)];
            new SplittableRandom(7).nextBytes(big);
            expected.add(WalTestLog.append(wal, new Rec(-1, -1, (byte) 2, new byte[] {2}, big)));
            expected.add(WalTestLog.append(wal, new Rec(-1, -1, (byte) 3, new byte[] {3}, new byte[10])));
            long second = Files.size(Segments.list(dir).lastEntry().getValue());
            assertTrue(second >= 5 * MIB + WalFormat.SEGMENT_HEADER_SIZE && second < 6 * MIB,
                    "the second segment holds the 5 MiB record: " + second);
        }
        WalTestLog.assertSame(expected, WalTestLog.readAll(dir, 0, null));
    }

    @Test
    void aRetiredSegmentBecomesTheOneSpareAndIsDeletedAtClose() throws IOException {
        byte[] b = new byte[4000];
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.ASYNC, 256L << 10), 0)) {
            // 256 KiB segments from the start (smaller than the initial size): fill three
            while (Segments.list(dir).size() < 3) {
                wal.append((byte) 1, MemorySegment.ofArray(new byte[] {1}), MemorySegment.ofArray(b));
            }
            wal.sync();
            // a retired segment is recycled only if no preallocated spare is there already
            wal.truncateBefore(wal.endLsn());
            assertEquals(1, Segments.list(dir).size(), "only the current segment stays live");
            assertTrue(spareFiles() <= 1, "spares: " + spareFiles());
            for (int i = 0; i < 200; i++) {
                wal.append((byte) 1, MemorySegment.ofArray(new byte[] {1}), MemorySegment.ofArray(b));
                assertTrue(spareFiles() <= 1, "spares: " + spareFiles());
            }
            assertTrue(wal.stats().segmentsRecycled() + wal.stats().segmentsCreated() >= 3);
        }
        assertEquals(0, spareFiles());
    }

    private long spareFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> WalFormat.isSpareName(p.getFileName().toString())).count();
        }
    }

    private long dirBytes() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
