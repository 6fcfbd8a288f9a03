package io.lightningdb.wal;

import static io.lightningdb.wal.WalTestLog.Rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WalRoundTripTest {
    private static final long SEG = 64 << 10;
    private Path dir;

    @BeforeEach
    void setUp() {
        dir = TestDirs.fresh("wal-roundtrip");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestDirs.deleteTree(dir);
    }

    @Test
    void recordsRoundTripAcrossSegmentsAndReopen() throws IOException {
        SplittableRandom rnd = Seeds.random("recordsRoundTripAcrossSegmentsAndReopen");
        WalRecovery[] rec = new WalRecovery[1];
        assertEquals(List.of(), WalTestLog.readAll(dir.resolve("absent"), 7, rec));
        assertEquals(new WalRecovery(7, 0, 0, false, null), rec[0]);

        List<Rec> expected = new ArrayList<>();
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), 0)) {
            expected.addAll(WalTestLog.appendRandom(wal, rnd, 400, 3000));
            wal.sync();
            assertEquals(wal.endLsn(), wal.durableLsn());
            assertTrue(wal.stats().segmentsLive() >= 5, "several segments: " + wal.stats());
        }
        List<Rec> first = WalTestLog.readAll(dir, 0, rec);
        WalTestLog.assertSame(expected, first);
        assertFalse(rec[0].cut(), rec[0].toString());
        assertNull(rec[0].cutReason());
        long end = expected.getLast().end();
        assertEquals(end, rec[0].endLsn());
        assertEquals(expected.size(), rec[0].records());

        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.BATCH, SEG), end)) {
            assertEquals(end, wal.endLsn());
            expected.addAll(WalTestLog.appendRandom(wal, rnd, 200, 5000));
            wal.awaitDurable(wal.endLsn());
            assertEquals(0, wal.bytesSince(wal.endLsn()));
            assertEquals(wal.endLsn() - end, wal.bytesSince(end));
        }
        WalTestLog.assertSame(expected, WalTestLog.readAll(dir, 0, rec));
        assertFalse(rec[0].cut());

        // from a checkpoint in the middle: exactly the records from there on
        Rec mid = expected.get(321);
        List<Rec> tail = WalTestLog.readAll(dir, mid.lsn(), rec);
        WalTestLog.assertSame(expected.subList(321, expected.size()), tail);
        assertEquals(expected.size() - 321, rec[0].records());
        WalCorruptException inside = assertThrows(WalCorruptException.class,
                () -> WalTestLog.readAll(dir, mid.lsn() + 1, null));
        assertTrue(inside.getMessage().contains("not on a record boundary"), inside.getMessage());
        WalCorruptException beyond = assertThrows(WalCorruptException.class,
                () -> WalTestLog.readAll(dir, expected.getLast().end() + 100, null));
        assertTrue(beyond.getMessage().contains(".log offset "), beyond.getMessage());
    }

    @Test
    void truncatedSegmentsAreRecycledAndTheirStaleRecordsNeverValidate() throws IOException {
        SplittableRandom rnd = Seeds.random("truncatedSegmentsAreRecycled");
        // fixed-size records: a recycled file holds stale record headers at the very offsets new records use
        byte[] a = new byte[20];
        byte[] b = new byte[979];
        List<Rec> expected = new ArrayList<>();
        Path oldest;
        byte[] oldestBytes;
        long checkpoint;
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), 0)) {
            for (int i = 0; i < 150; i++) {
                rnd.nextBytes(b);
                expected.add(WalTestLog.append(wal, new Rec(-1, -1, (byte) 5, a.clone(), b.clone())));
            }
            wal.sync();
            Map<Long, Path> files = Segments.list(dir);
            assertTrue(files.size() >= 3, "segments: " + files);
            oldest = files.values().iterator().next();
            oldestBytes = Files.readAllBytes(oldest);
            checkpoint = new ArrayList<>(files.keySet()).get(1);
            wal.truncateBefore(checkpoint);
            assertFalse(Files.exists(oldest));
            assertEquals(1, wal.stats().segmentsRecycled());
            expected.removeIf(r -> r.lsn() < checkpoint);
            // fill up to the next segment: it is the recycled file, so fewer records than it once held
            long next = Segments.list(dir).lastKey();
            while (wal.endLsn() < next + SEG) {
                Rec r = WalTestLog.append(wal, new Rec(-1, -1, (byte) 6, a.clone(), b.clone()));
                expected.add(r);
                if (Segments.list(dir).lastKey() > next) {
                    break;
                }
            }
            for (int i = 0; i < 10; i++) {
                expected.add(WalTestLog.append(wal, new Rec(-1, -1, (byte) 7, a.clone(), b.clone())));
            }
            wal.sync();
            // Read while the log is still open, as after a crash: a clean close would cut the
            // file after its end mark, and the stale records with it.
            WalRecovery[] rec = new WalRecovery[1];
            WalTestLog.assertSame(expected, WalTestLog.readAll(dir, checkpoint, rec));
            assertFalse(rec[0].cut());

            // the newest segment is the recycled file: past its end mark lie the old records
            Map.Entry<Path, Long> at = WalTestLog.locate(dir, expected.getLast().end());
            byte[] recycled = Files.readAllBytes(at.getKey());
            int endMark = Math.toIntExact(at.getValue());
            int stale = endMark + WalFormat.RECORD_HEADER_SIZE;
            assertTrue(Arrays.equals(oldestBytes, stale, stale + 4000, recycled, stale, stale + 4000),
                    "the last segment reuses the retired file");
            // put the stale record header back where the end mark is: a crash before the end mark was written
            try (FileChannel ch = FileChannel.open(at.getKey(), StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(oldestBytes, endMark, WalFormat.RECORD_HEADER_SIZE), endMark);
            }
            WalTestLog.assertSame(expected, WalTestLog.readAll(dir, checkpoint, rec));
            assertTrue(rec[0].cut());
            assertTrue(rec[0].cutReason().contains("stale record"), rec[0].cutReason());
            assertEquals(expected.getLast().end(), rec[0].endLsn());
        }
    }

    @Test
    void refusesBadRecordsAndConfigs() throws IOException {
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), 0)) {
            MemorySegment big = MemorySegment.ofArray(new byte[(int) WalFormat.maxPayload(SEG) + 1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> wal.append((byte) 1, big, null));
            assertTrue(e.getMessage().contains("limit of " + WalFormat.maxPayload(SEG)), e.getMessage());
            assertTrue(e.getMessage().contains("segmentSize"), e.getMessage());
            MemorySegment exact = MemorySegment.ofArray(new byte[(int) WalFormat.maxPayload(SEG)]);
            long end = wal.append((byte) 1, exact, null);
            assertEquals(WalFormat.maxPayload(SEG) + WalFormat.RECORD_OVERHEAD, end);
            assertThrows(IllegalArgumentException.class, () -> wal.append((byte) 0, exact, null));
            assertThrows(IllegalArgumentException.class, () -> wal.append((byte) -1, exact, null));
            assertThrows(IllegalArgumentException.class, () -> wal.awaitDurable(end + 1));
            assertEquals(end, wal.endLsn(), "refused appends append nothing");
        }
        assertEquals(1, WalTestLog.readAll(dir, 0, null).size());
        IllegalArgumentException seg = assertThrows(IllegalArgumentException.class,
                () -> new WalConfig(SyncMode.SYNC, 1, 0, 1_000_000, 65536 + 100));
        assertTrue(seg.getMessage().contains("segmentSize"), seg.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
                () -> new WalConfig(SyncMode.SYNC, 0, 0, 1_000_000, 65536));
        assertTrue(batch.getMessage().startsWith("writeBatchSize must be in [1, "), batch.getMessage());
        IllegalArgumentException interval = assertThrows(IllegalArgumentException.class,
                () -> new WalConfig(SyncMode.ASYNC, 1, 0, 10, 65536));
        assertTrue(interval.getMessage().contains("flushIntervalNanos"), interval.getMessage());
        Wal closed = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), WalTestLog.readAll(dir, 0, null).getLast().end());
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.append((byte) 1, MemorySegment.ofArray(new byte[1]), null));
    }
}
