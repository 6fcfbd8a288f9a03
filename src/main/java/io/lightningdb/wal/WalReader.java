package io.lightningdb.wal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the log back at open: every valid record from a checkpoint LSN on, in LSN order, up to the
 * first invalid byte (docs/wal-format.md says what is valid). Everything after the first invalid
 * record is cut, even valid-looking records further on: a sync always covers a prefix of the log,
 * so no record after a damaged one was ever acknowledged as durable.
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="recover"}
 */
public final class WalReader {
    private static final System.Logger LOG = System.getLogger("io.lightningdb");

    private final long fromLsn;
    private final RecordVisitor visitor;
    private long pos;
    private long records;
    private long bytes;
    private String cutReason;
    private Path endFile;
    private long endOffset;

    private WalReader(long fromLsn, RecordVisitor visitor) {
        this.fromLsn = fromLsn;
        this.visitor = visitor;
    }

    /**
     * Hands every valid record with LSN {@code >= fromLsn} to {@code v}, in LSN order across the
     * segments of {@code dir}, and stops at the first invalid one (CRC mismatch, zeroed or garbage
     * header, wrong LSN, truncated record, or a next segment that does not start where the last
     * valid record ended). A cut tail is logged once at WARNING on the "io.lightningdb" logger.
     * An empty or missing directory gives {@code WalRecovery(fromLsn, 0, 0, false, null)}.
     *
     * @throws WalCorruptException if {@code fromLsn} lies past the valid end of the log or inside a
     *     record: records the caller's checkpoint relies on are missing
     */
    public static WalRecovery read(Path dir, long fromLsn, RecordVisitor v) throws IOException {
        if (fromLsn < 0) {
            throw new IllegalArgumentException("fromLsn must be >= 0, got " + fromLsn);
        }
        TreeMap<Long, Path> files = Segments.list(dir);
        if (files.isEmpty()) {
            return new WalRecovery(fromLsn, 0, 0, false, null);
        }
        Long first = files.floorKey(fromLsn);
        if (first == null) {
            throw new WalCorruptException(files.firstEntry().getValue() + " offset 0: the log starts at LSN "
                    + files.firstKey() + ", after the checkpoint LSN " + fromLsn + ": the records from " + fromLsn
                    + " on are missing");
        }
        WalReader r = new WalReader(fromLsn, v);
        r.pos = first;
        List<Map.Entry<Long, Path>> segs = new ArrayList<>(files.tailMap(first, true).entrySet());
        for (int i = 0; i < segs.size(); i++) {
            long limit = i + 1 < segs.size() ? segs.get(i + 1).getKey() : Long.MAX_VALUE;
            if (!r.scan(segs.get(i).getValue(), segs.get(i).getKey(), limit)) {
                if (r.cutReason != null) {
                    r.reportCut(segs.subList(i + 1, segs.size()));
                }
                break;
            }
        }
        if (r.pos < fromLsn) {
            throw new WalCorruptException(r.endFile + " offset " + r.endOffset + ": the valid log ends at LSN " + r.pos
                    + (r.cutReason != null ? " (" + r.cutReason + ")" : "") + ", before the checkpoint LSN " + fromLsn
                    + ": records the checkpoint relies on are missing");
        }
        String where = r.cutReason == null ? null : r.endFile + " offset " + r.endOffset + ": " + r.cutReason;
        return new WalRecovery(r.pos, r.records, r.bytes, r.cutReason != null, where);
    }

    /**
     * Reads the segment starting at {@code start} from {@code pos}; true if the next segment (which
     * starts at {@code limit}) continues the log, false at the end of the log or a cut.
     */
    private boolean scan(Path path, long start, long limit) throws IOException {
        endFile = path;
        endOffset = 0;
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            MemorySegment m = fileSize == 0 ? MemorySegment.ofArray(new byte[0])
                    : ch.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, arena);
            String bad = WalFormat.checkSegmentHeader(m, start);
            if (bad != null) {
                return cut(0, bad);
            }
            if (start != pos) {
                return cut(0, "segment starts at LSN " + start + " but the log before it ends at LSN " + pos);
            }
            long segSize = WalFormat.headerSegmentSize(m);
            while (pos != limit) {
                long off = WalFormat.SEGMENT_HEADER_SIZE + (pos - start);
                endOffset = off;
                if (off + WalFormat.RECORD_HEADER_SIZE > segSize) {
                    // no room for another record: the writer went on in the next segment
                    return limit == Long.MAX_VALUE ? false
                            : cut(off, "segment full at LSN " + pos + " but the next segment starts at LSN " + limit);
                }
                if (off + WalFormat.RECORD_HEADER_SIZE > fileSize) {
                    return cut(off, "truncated record header (the file ends at " + fileSize + ")");
                }
                String invalid = checkRecord(m, off, segSize, fileSize, limit);
                if (invalid != null) {
                    return cut(off, invalid);
                }
                int length = m.get(WalFormat.U32, off + WalFormat.R_LENGTH);
                if (m.get(ValueLayout.JAVA_BYTE, off + WalFormat.R_TYPE) == WalFormat.TYPE_END) {
                    return limit == Long.MAX_VALUE ? false
                            : cut(off, "end mark at LSN " + pos + " but the next segment starts at LSN " + limit);
                }
                deliver(path, m, off, length);
            }
            return true;
        }
    }

    /** Why the record at {@code off} (for LSN {@code pos}) is invalid, or null. */
    private String checkRecord(MemorySegment m, long off, long segSize, long fileSize, long limit) {
        int crc = m.get(WalFormat.U32, off + WalFormat.R_CRC);
        long length = Integer.toUnsignedLong(m.get(WalFormat.U32, off + WalFormat.R_LENGTH));
        long lsn = m.get(WalFormat.U64, off + WalFormat.R_LSN);
        byte type = m.get(ValueLayout.JAVA_BYTE, off + WalFormat.R_TYPE);
        if (crc == 0 && length == 0 && lsn == 0 && type == 0) {
            return "zeroed record header";
        }
        long end = off + WalFormat.RECORD_HEADER_SIZE + length;
        if (end > segSize) {
            return "record length " + length + " runs past the segment end (" + segSize + ")";
        }
        if (end > fileSize) {
            return "truncated record: " + length + " payload bytes, the file ends at " + fileSize;
        }
        if (crc != WalFormat.crc32c(m, off + WalFormat.R_LENGTH, end - off - WalFormat.R_LENGTH)) {
            return "CRC mismatch";
        }
        if (lsn != pos) {
            return "record says LSN " + lsn + " where LSN " + pos + " belongs (a stale record)";
        }
        if (type == WalFormat.TYPE_END) {
            return length == 0 ? null : "end mark with a payload";
        }
        if (type < WalFormat.MIN_TYPE) {
            return "invalid record type " + type;
        }
        if (length < WalFormat.P_A) {
            return "payload of " + length + " bytes is shorter than its length field";
        }
        long aLength = Integer.toUnsignedLong(m.get(WalFormat.U32, off + WalFormat.RECORD_HEADER_SIZE + WalFormat.P_A_LENGTH));
        if (aLength > length - WalFormat.P_A) {
            return "first part of " + aLength + " bytes runs past the payload of " + length;
        }
        if (pos + WalFormat.RECORD_HEADER_SIZE + length > limit) {
            return "record runs past LSN " + limit + " where the next segment starts";
        }
        return null;
    }

    private void deliver(Path path, MemorySegment m, long off, int length) throws IOException {
        long size = WalFormat.RECORD_HEADER_SIZE + (long) length;
        long end = pos + size;
        if (pos >= fromLsn) {
            long p = off + WalFormat.RECORD_HEADER_SIZE;
            long aLength = Integer.toUnsignedLong(m.get(WalFormat.U32, p + WalFormat.P_A_LENGTH));
            MemorySegment a = m.asSlice(p + WalFormat.P_A, aLength).asReadOnly();
            MemorySegment b = m.asSlice(p + WalFormat.P_A + aLength, length - WalFormat.P_A - aLength).asReadOnly();
            visitor.record(pos, m.get(ValueLayout.JAVA_BYTE, off + WalFormat.R_TYPE), a, b);
            records++;
            bytes += size;
        } else if (end > fromLsn) {
            throw new WalCorruptException(path + " offset " + off + ": the checkpoint LSN " + fromLsn
                    + " falls inside the record at LSN " + pos + ".." + end + ", not on a record boundary");
        }
        pos = end;
    }

    private boolean cut(long offset, String reason) {
        endOffset = offset;
        cutReason = reason;
        return false;
    }

    private void reportCut(List<Map.Entry<Long, Path>> later) throws IOException {
        long discarded = Math.max(0, Files.size(endFile) - endOffset);
        for (Map.Entry<Long, Path> e : later) {
            discarded += Files.size(e.getValue());
        }
        if (pos >= fromLsn) {
            LOG.log(Level.WARNING, "WAL cut at {0} offset {1} (LSN {2}): {3}; discarded {4} bytes (the rest of that"
                    + " file and {5} later segment file(s)), never applied",
                    endFile, endOffset, pos, cutReason, discarded, later.size());
        }
    }
}
