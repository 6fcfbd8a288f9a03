package io.lightningdb.wal;

import static io.lightningdb.wal.WalTestLog.Rec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Damage after a crash: the reader cuts at the last valid record, says why, and a log reopened at
 * that point never brings the cut bytes back.
 */
class WalTailDamageTest {
    private static final long SEG = 64 << 10;
    private Path dir;
    private SplittableRandom rnd;

    @BeforeEach
    void setUp() {
        dir = TestDirs.fresh("wal-damage");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestDirs.deleteTree(dir);
    }

    /** Writes records over three or more segments and returns them. */
    private List<Rec> writeLog(String test) throws IOException {
        rnd = Seeds.random(test);
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), 0)) {
            List<Rec> recs = WalTestLog.appendRandom(wal, rnd, 120, 4000);
            assertTrue(Segments.list(dir).size() >= 3);
            return recs;
        }
    }

    private interface Damage {
        void apply(FileChannel ch, long offset, Rec r) throws IOException;
    }

    private static void overwrite(FileChannel ch, long offset, byte[] bytes) throws IOException {
        ch.write(ByteBuffer.wrap(bytes), offset);
    }

    /** Damages {@code victim}, checks the cut, reopens there, appends and checks nothing stale returns. */
    private void damageAndRecover(List<Rec> recs, Rec victim, Damage d, String reason, List<Rec> survivors)
            throws IOException {
        Map.Entry<Path, Long> at = WalTestLog.locate(dir, victim.lsn());
        try (FileChannel ch = FileChannel.open(at.getKey(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            d.apply(ch, at.getValue(), victim);
        }
        WalRecovery[] rec = new WalRecovery[1];
        WalTestLog.assertSame(survivors, WalTestLog.readAll(dir, 0, rec));
        long validEnd = survivors.isEmpty() ? 0 : survivors.getLast().end();
        assertEquals(validEnd, rec[0].endLsn());
        assertTrue(rec[0].cut(), rec[0].toString());
        assertTrue(rec[0].cutReason().contains(reason), rec[0].cutReason());
        assertTrue(rec[0].cutReason().contains(at.getKey().getFileName().toString()), rec[0].cutReason());

        List<Rec> expected = new ArrayList<>(survivors);
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.BATCH, SEG), rec[0].endLsn())) {
            expected.addAll(WalTestLog.appendRandom(wal, rnd, 30, 4000));
        }
        WalTestLog.assertSame(expected, WalTestLog.readAll(dir, 0, rec));
        assertFalse(rec[0].cut(), rec[0].toString());
        // and once more: a second reopen at the end keeps it all
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), rec[0].endLsn())) {
            expected.addAll(WalTestLog.appendRandom(wal, rnd, 3, 100));
        }
        WalTestLog.assertSame(expected, WalTestLog.readAll(dir, 0, null));
        assertTrue(recs.size() >= survivors.size());
    }

    @Test
    void truncatedMidRecord() throws IOException {
        List<Rec> recs = writeLog("truncatedMidRecord");
        Rec last = recs.getLast();
        damageAndRecover(recs, last, (ch, off, r) -> ch.truncate(off + WalFormat.RECORD_HEADER_SIZE + 3),
                "truncated record", recs.subList(0, recs.size() - 1));
    }

    @Test
    void truncatedInTheRecordHeader() throws IOException {
        List<Rec> recs = writeLog("truncatedInTheRecordHeader");
        damageAndRecover(recs, recs.getLast(), (ch, off, r) -> ch.truncate(off + 5),
                "truncated record header", recs.subList(0, recs.size() - 1));
    }

    @Test
    void flippedBitInTheLastRecord() throws IOException {
        List<Rec> recs = writeLog("flippedBitInTheLastRecord");
        damageAndRecover(recs, recs.getLast(), (ch, off, r) -> flipBit(ch, off + WalFormat.RECORD_OVERHEAD + r.a().length / 2),
                "CRC mismatch", recs.subList(0, recs.size() - 1));
    }

    @Test
    void garbageAfterTheLastRecord() throws IOException {
        List<Rec> recs = writeLog("garbageAfterTheLastRecord");
        Rec last = recs.getLast();
        byte[] garbage = new byte[300];
        rnd.nextBytes(garbage);
        damageAndRecover(recs, last, (ch, off, r) -> overwrite(ch, off + (r.end() - r.lsn()), garbage),
                "", recs);
    }

    @Test
    void zeroedHeaderOfTheLastRecord() throws IOException {
        List<Rec> recs = writeLog("zeroedHeaderOfTheLastRecord");
        damageAndRecover(recs, recs.getLast(), (ch, off, r) -> overwrite(ch, off, new byte[WalFormat.RECORD_HEADER_SIZE]),
                "zeroed record header", recs.subList(0, recs.size() - 1));
    }

    /**
     * By design, damage in the middle cuts the log there even though valid records follow: a sync
     * always covers a prefix, so no record after the damaged one was acknowledged.
     */
    @Test
    void damageInTheMiddleCutsEverythingAfterIt() throws IOException {
        List<Rec> recs = writeLog("damageInTheMiddleCutsEverythingAfterIt");
        int victim = 10;
        while (!WalTestLog.locate(dir, recs.get(victim).lsn()).getKey()
                .equals(WalTestLog.locate(dir, recs.get(victim + 1).lsn()).getKey())) {
            victim++;
        }
        Map.Entry<Path, Long> at = WalTestLog.locate(dir, recs.get(victim).lsn());
        assertTrue(!WalTestLog.locate(dir, recs.getLast().lsn()).getKey().equals(at.getKey()),
                "valid records in later segments");
        // a checkpoint past the damage, in the same segment (a checkpoint in a later segment needs nothing before it)
        long laterLsn = recs.get(victim + 1).lsn();
        assertEquals(at.getKey(), WalTestLog.locate(dir, laterLsn).getKey());
        try (FileChannel ch = FileChannel.open(at.getKey(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            flipBit(ch, at.getValue() + WalFormat.R_LSN);
        }
        WalCorruptException e = assertThrows(WalCorruptException.class, () -> WalTestLog.readAll(dir, laterLsn, null));
        assertTrue(e.getMessage().contains(at.getKey().getFileName() + " offset " + at.getValue()), e.getMessage());
        assertTrue(e.getMessage().contains("CRC mismatch"), e.getMessage());
        // restore and damage through the shared path (which reopens and appends)
        try (FileChannel ch = FileChannel.open(at.getKey(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            flipBit(ch, at.getValue() + WalFormat.R_LSN);
        }
        damageAndRecover(recs, recs.get(victim), (ch, off, r) -> flipBit(ch, off + WalFormat.R_TYPE),
                "CRC mismatch", recs.subList(0, victim));
    }

    @Test
    void aSegmentStartingAtTheCutIsReplacedByAFreshOne() throws IOException {
        List<Rec> recs = writeLog("aSegmentStartingAtTheCutIsReplacedByAFreshOne");
        long lastStart = Segments.list(dir).lastKey();
        Rec first = recs.stream().filter(r -> r.lsn() == lastStart).findFirst().orElseThrow();
        Path file = Segments.list(dir).lastEntry().getValue();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            flipBit(ch, WalFormat.SEGMENT_HEADER_SIZE + WalFormat.R_LSN);
        }
        WalRecovery[] rec = new WalRecovery[1];
        List<Rec> survivors = recs.stream().filter(r -> r.end() <= lastStart).toList();
        WalTestLog.assertSame(survivors, WalTestLog.readAll(dir, 0, rec));
        assertEquals(first.lsn(), rec[0].endLsn());
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), rec[0].endLsn())) {
            // the old file's records (valid ones among them) are gone: past the end mark, zeros
            ByteBuffer rest = ByteBuffer.allocate(8192);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ch.read(rest, WalFormat.SEGMENT_HEADER_SIZE + WalFormat.RECORD_HEADER_SIZE);
            }
            assertEquals(-1, rest.flip().mismatch(ByteBuffer.allocate(8192)), "fresh segment at the cut");
            assertEquals(rec[0].endLsn(), wal.endLsn());
        }
        WalTestLog.assertSame(survivors, WalTestLog.readAll(dir, 0, rec));
        assertFalse(rec[0].cut());
    }

    private static void flipBit(FileChannel ch, long offset) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, offset);
        one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
        ch.write(one, offset);
    }
}
