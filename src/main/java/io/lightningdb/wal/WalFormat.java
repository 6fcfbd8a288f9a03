package io.lightningdb.wal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Every on-disk offset and constant of the log, and the code that encodes and checks them
 * (docs/wal-format.md describes the format). All integers are little-endian.
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="segmentName"}
 */
public final class WalFormat {
    private WalFormat() {}

    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    // ---- segment header: one 4096-byte block at the start of every segment file
    public static final int SEGMENT_HEADER_SIZE = 4096;
    static final byte[] MAGIC = "LDBWAL01".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int SH_MAGIC = 0;          // 8 bytes "LDBWAL01"
    static final int SH_VERSION = 8;        // u32
    static final int SH_HEADER_SIZE = 12;   // u32, 4096
    static final int SH_START_LSN = 16;     // u64, LSN of the first byte after the header
    static final int SH_SEGMENT_SIZE = 24;  // u64, the file's preallocated size
    static final int SH_CRC = 32;           // u32 CRC32C of bytes [0, SH_CRC)

    // ---- record: header then payload
    static final int R_CRC = 0;             // u32 CRC32C of bytes [R_LENGTH, end of payload)
    static final int R_LENGTH = 4;          // u32 payload length
    static final int R_LSN = 8;             // u64, must equal the record's position in the log
    static final int R_TYPE = 16;           // u8: 1..127 engine records, 0 the end mark
    public static final int RECORD_HEADER_SIZE = 17;
    static final int P_A_LENGTH = 0;        // payload: u32 length of a, then a, then b
    static final int P_A = 4;
    /** Record header plus the length of {@code a}: the bytes a record takes besides a and b. */
    public static final int RECORD_OVERHEAD = RECORD_HEADER_SIZE + P_A;

    /** Type of the end mark: a zero-length record every flush writes after its last record. */
    static final byte TYPE_END = 0;
    public static final int MIN_TYPE = 1;
    public static final int MAX_TYPE = 127;

    static final String SEGMENT_PREFIX = "wal-";
    static final String SEGMENT_SUFFIX = ".log";
    static final String SPARE_PREFIX = "wal-spare-";
    static final String SPARE_SUFFIX = ".tmp";

    /** The most payload bytes one record may carry in segments of {@code segmentSize} bytes. */
    public static long maxPayload(long segmentSize) {
        return segmentSize - SEGMENT_HEADER_SIZE - RECORD_OVERHEAD;
    }

    /** File name of the segment starting at {@code startLsn}: fixed width hex, so names sort as LSNs. */
    public static String segmentName(long startLsn) {
        return String.format("%s%016x%s", SEGMENT_PREFIX, startLsn, SEGMENT_SUFFIX);
    }

    /** The start LSN a segment file name encodes, or -1 if the name is not a segment's. */
    public static long parseSegmentName(String name) {
        int digits = 16;
        if (name.length() != SEGMENT_PREFIX.length() + digits + SEGMENT_SUFFIX.length()
                || !name.startsWith(SEGMENT_PREFIX) || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        String hex = name.substring(SEGMENT_PREFIX.length(), SEGMENT_PREFIX.length() + digits);
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0 || Character.isUpperCase(hex.charAt(i))) {
                return -1;
            }
        }
        return Long.parseUnsignedLong(hex, 16);
    }

    static boolean isSpareName(String name) {
        return name.startsWith(SPARE_PREFIX) && name.endsWith(SPARE_SUFFIX);
    }

    static int crc32c(MemorySegment s, long offset, long length) {
        CRC32C crc = new CRC32C();
        crc.update(s.asSlice(offset, length).asByteBuffer());
        return (int) crc.getValue();
    }

    /** Writes a segment header into {@code dst[0, SEGMENT_HEADER_SIZE)} (the rest of the block zero). */
    static void encodeSegmentHeader(MemorySegment dst, long startLsn, long segmentSize) {
        dst.asSlice(0, SEGMENT_HEADER_SIZE).fill((byte) 0);
        MemorySegment.copy(MemorySegment.ofArray(MAGIC), 0, dst, SH_MAGIC, MAGIC.length);
        dst.set(U32, SH_VERSION, VERSION);
        dst.set(U32, SH_HEADER_SIZE, SEGMENT_HEADER_SIZE);
        dst.set(U64, SH_START_LSN, startLsn);
        dst.set(U64, SH_SEGMENT_SIZE, segmentSize);
        dst.set(U32, SH_CRC, crc32c(dst, 0, SH_CRC));
    }

    /**
     * Why the header in {@code file} is not that of a segment starting at {@code startLsn}, or
     * null when it is. {@code file} is the mapped segment file (any length).
     */
    static String checkSegmentHeader(MemorySegment file, long startLsn) {
        if (file.byteSize() < SEGMENT_HEADER_SIZE) {
            return "file of " + file.byteSize() + " bytes is shorter than the " + SEGMENT_HEADER_SIZE + "-byte segment header";
        }
        if (file.asSlice(SH_MAGIC, MAGIC.length).mismatch(MemorySegment.ofArray(MAGIC)) != -1) {
            return "bad segment magic (expected LDBWAL01)";
        }
        if (file.get(U32, SH_CRC) != crc32c(file, 0, SH_CRC)) {
            return "segment header CRC mismatch";
        }
        if (file.get(U32, SH_VERSION) != VERSION) {
            return "unsupported WAL format version " + file.get(U32, SH_VERSION) + " (this build reads " + VERSION + ")";
        }
        if (file.get(U32, SH_HEADER_SIZE) != SEGMENT_HEADER_SIZE) {
            return "segment header size " + file.get(U32, SH_HEADER_SIZE) + " (expected " + SEGMENT_HEADER_SIZE + ")";
        }
        long stored = file.get(U64, SH_START_LSN);
        if (stored != startLsn) {
            return "segment header says start LSN " + stored + " but the file name says " + startLsn;
        }
        long size = file.get(U64, SH_SEGMENT_SIZE);
        if (size < SEGMENT_HEADER_SIZE + RECORD_HEADER_SIZE || size > WalConfig.MAX_SEGMENT_SIZE) {
            return "segment size " + size + " in the header is out of range";
        }
        return null;
    }

    static long headerSegmentSize(MemorySegment file) {
        return file.get(U64, SH_SEGMENT_SIZE);
    }

    /** Writes a record header at {@code off} and its CRC over the header rest and the payload already in place. */
    static void sealRecord(MemorySegment buf, long off, long lsn, byte type, int payloadLength) {
        buf.set(U32, off + R_LENGTH, payloadLength);
        buf.set(U64, off + R_LSN, lsn);
        buf.set(ValueLayout.JAVA_BYTE, off + R_TYPE, type);
        buf.set(U32, off + R_CRC, crc32c(buf, off + R_LENGTH, RECORD_HEADER_SIZE - R_LENGTH + (long) payloadLength));
    }

    /** Writes the end mark for position {@code lsn} at {@code off}: a valid record of type 0, no payload. */
    static void writeEndMark(MemorySegment buf, long off, long lsn) {
        sealRecord(buf, off, lsn, TYPE_END, 0);
    }
}
