package io.lightningdb.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Test helper: records as the tests expect them, writing them and reading them back. */
final class WalTestLog {
    private WalTestLog() {}

    /** One record: where it lies in the log and its bytes. */
    record Rec(long lsn, long end, byte type, byte[] a, byte[] b) {}

    static WalConfig config(SyncMode mode, long segmentSize) {
        return new WalConfig(mode, 64, 2_000_000L, 10_000_000L, segmentSize);
    }

    static Rec randomRecord(SplittableRandom rnd, int maxSize) {
        byte[] a = new byte[rnd.nextInt(1, 64)];
        byte[] b = new byte[rnd.nextInt(0, maxSize)];
        rnd.nextBytes(a);
        rnd.nextBytes(b);
        return new Rec(-1, -1, (byte) rnd.nextInt(1, 128), a, b);
    }

    /** Appends {@code r} and returns it with its LSN range. */
    static Rec append(Wal wal, Rec r) throws IOException {
        long end = wal.append(r.type(), MemorySegment.ofArray(r.a()),
                r.b().length == 0 && (r.a().length & 1) == 0 ? null : MemorySegment.ofArray(r.b()));
        long lsn = end - WalFormat.RECORD_OVERHEAD - r.a().length - r.b().length;
        return new Rec(lsn, end, r.type(), r.a(), r.b());
    }

    static List<Rec> appendRandom(Wal wal, SplittableRandom rnd, int count, int maxSize) throws IOException {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(append(wal, randomRecord(rnd, maxSize)));
        }
        return out;
    }

    /** Reads the log from {@code fromLsn} into records. */
    static List<Rec> readAll(Path dir, long fromLsn, WalRecovery[] recovery) throws IOException {
        List<Rec> out = new ArrayList<>();
        WalRecovery r = WalReader.read(dir, fromLsn, (lsn, type, a, b) -> out.add(new Rec(lsn,
                lsn + WalFormat.RECORD_OVERHEAD + a.byteSize() + b.byteSize(), type,
                a.toArray(ValueLayout.JAVA_BYTE), b.toArray(ValueLayout.JAVA_BYTE))));
        if (recovery != null) {
            recovery[0] = r;
        }
        return out;
    }

    static void assertSame(List<Rec> expected, List<Rec> actual) {
        assertEquals(expected.size(), actual.size(), "record count");
        for (int i = 0; i < expected.size(); i++) {
            Rec e = expected.get(i);
            Rec a = actual.get(i);
            assertEquals(e.lsn(), a.lsn(), "lsn of record " + i);
            assertEquals(e.end(), a.end(), "end of record " + i);
            assertEquals(e.type(), a.type(), "type of record " + i);
            assertArrayEquals(e.a(), a.a(), "a of record " + i);
            assertArrayEquals(e.b(), a.b(), "b of record " + i);
        }
    }

    /** The segment file holding {@code lsn} and the file offset of that LSN in it. */
    static Map.Entry<Path, Long> locate(Path dir, long lsn) throws IOException {
        Map.Entry<Long, Path> seg = Segments.list(dir).floorEntry(lsn);
        return Map.entry(seg.getValue(), WalFormat.SEGMENT_HEADER_SIZE + (lsn - seg.getKey()));
    }
}
