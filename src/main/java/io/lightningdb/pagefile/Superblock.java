package io.lightningdb.pagefile;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The root of one checkpoint image: what a reader needs before anything else (magic, format
 * version, page size) and where everything is (tree root and height, the page table, the log
 * position the image reflects). Two copies, in slots 0 and 1, written alternately: a checkpoint
 * overwrites the older one, so a write torn by a crash leaves the newer intact copy to open from.
 * Little-endian; offsets below are the format (docs/file-format.md).
 *
 * @param pageSize bytes per page
 * @param sequence checkpoint number; the copy in slot {@code sequence & 1}, the higher valid one wins
 * @param checkpointLsn the write-ahead log position this image reflects: replay starts there
 * @param rootPage page id of the B-tree root
 * @param treeHeight levels of the tree (1 = the root is a leaf)
 * @param keyCount keys in the tree
 * @param maxKeySize the key size limit the database was created with
 * @param pidCount page ids in use are below this
 * @param slotCount slots the image's file spans
 * @param tableHead slot of the first page-table directory page
 * @param tableChunks number of page-table chunks the directory lists
 * @param liveBytes key and value bytes of the entries in the tree; {@link #LIVE_BYTES_UNKNOWN} in a
 *     file written before the count was kept (the flag at {@link #FLAGS_OFFSET} is clear)
 */
public record Superblock(int pageSize, long sequence, long checkpointLsn, long rootPage, int treeHeight, long keyCount,
        int maxKeySize, long pidCount, long slotCount, long tableHead, int tableChunks, long liveBytes) {

    /** "LIGHTNDB" in ASCII (bytes 4C 49 47 48 54 4E 44 42 in the file), read as a little-endian u64. */
    public static final long MAGIC = 0x42444E544847494CL;
    /**
     * 3: leaves may name values kept in value pages (page type 8, leaf value kind 2). 2: page table
     * and two superblock copies (1 wrote pages in place). A format 2 file is a format 3 file without
     * value pages: it opens, and its next checkpoint writes 3.
     */
    public static final int FORMAT_VERSION = 3;
    /** The oldest format this build opens. */
    public static final int OLDEST_FORMAT_VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int PAGE_SIZE_OFFSET = 12;
    public static final int SEQUENCE_OFFSET = 16;
    public static final int CHECKPOINT_LSN_OFFSET = 24;
    public static final int ROOT_OFFSET = 32;
    public static final int HEIGHT_OFFSET = 40;
    public static final int MAX_KEY_SIZE_OFFSET = 44;
    public static final int KEY_COUNT_OFFSET = 48;
    public static final int PID_COUNT_OFFSET = 56;
    public static final int SLOT_COUNT_OFFSET = 64;
    public static final int TABLE_HEAD_OFFSET = 72;
    public static final int TABLE_CHUNKS_OFFSET = 80;
    /**
     * u32 flags; bit 0 ({@link #FLAG_LIVE_BYTES}) says {@link #LIVE_BYTES_OFFSET} holds the count.
     * Files written before it was kept hold zeros here (encode zeroes the unused bytes), so the
     * format version did not change.
     */
    public static final int FLAGS_OFFSET = 84;
    public static final int FLAG_LIVE_BYTES = 1;
    /** u64 key and value bytes of the tree's entries, valid when {@link #FLAG_LIVE_BYTES} is set. */
    public static final int LIVE_BYTES_OFFSET = 88;
    /** What {@link #liveBytes()} is for a file that did not record it. */
    public static final long LIVE_BYTES_UNKNOWN = -1;
    /** u32 CRC32C of bytes [0, CRC_OFFSET). */
    public static final int CRC_OFFSET = 124;
    public static final int SIZE = 128;

    /** File offset of this copy: its slot (sequence parity) times the page size. */
    public long fileOffset() {
        return (sequence & 1) * pageSize;
    }

    /** Writes this superblock into the first {@link #SIZE} bytes of {@code page} (the rest zeroed). */
    public void encode(MemorySegment page) {
        page.fill((byte) 0);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, MAGIC_OFFSET, MAGIC);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, VERSION_OFFSET, FORMAT_VERSION);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, PAGE_SIZE_OFFSET, pageSize);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, SEQUENCE_OFFSET, sequence);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, CHECKPOINT_LSN_OFFSET, checkpointLsn);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, ROOT_OFFSET, rootPage);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, HEIGHT_OFFSET, treeHeight);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, MAX_KEY_SIZE_OFFSET, maxKeySize);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, KEY_COUNT_OFFSET, keyCount);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, PID_COUNT_OFFSET, pidCount);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, SLOT_COUNT_OFFSET, slotCount);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, TABLE_HEAD_OFFSET, tableHead);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, TABLE_CHUNKS_OFFSET, tableChunks);
        if (liveBytes >= 0) {
            page.set(ValueLayout.JAVA_INT_UNALIGNED, FLAGS_OFFSET, FLAG_LIVE_BYTES);
            page.set(ValueLayout.JAVA_LONG_UNALIGNED, LIVE_BYTES_OFFSET, liveBytes);
        }
        page.set(ValueLayout.JAVA_INT_UNALIGNED, CRC_OFFSET, crc(page.asSlice(0, CRC_OFFSET).asByteBuffer()));
    }

    private static int crc(ByteBuffer bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    /**
     * Reads both copies of {@code file} with plain buffered I/O (the page size is not known yet)
     * and returns the newest valid one. A damaged copy beside a valid one is logged and skipped;
     * with no valid copy, the first copy's problem is a {@link CorruptFileException} naming the
     * offset. A copy of a newer format version is refused, never skipped.
     */
    public static Superblock read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < SIZE) {
                throw new CorruptFileException(file, size, "truncated superblock: the file has " + size
                        + " bytes, a superblock needs " + SIZE);
            }
            Copy first = copyAt(file, ch, 0, 0);
            Copy second = null;
            for (int pageSize = 4096; pageSize <= 65536 && size >= pageSize + SIZE; pageSize <<= 1) {
                if (first.sb != null && first.sb.pageSize != pageSize) {
                    continue;
                }
                Copy c = copyAt(file, ch, pageSize, pageSize);
                // Where no copy lives (no magic) says nothing; a damaged copy is kept to report.
                if (c.sb != null || second == null || !c.foreign) {
                    second = c;
                }
                if (c.sb != null) {
                    break;
                }
            }
            Superblock other = second == null ? null : second.sb;
            boolean otherDamaged = second != null && second.sb == null && !second.foreign;
            if (first.sb == null) {
                if (other == null) {
                    if (otherDamaged) {
                        throw new CorruptFileException(file, first.problem.offset(), first.problem.problem()
                                + "; the other copy: " + second.problem.getMessage());
                    }
                    throw first.problem;
                }
                warnDamaged(file, 0, first.problem, other);
                return other;
            }
            if (otherDamaged) {
                warnDamaged(file, first.sb.pageSize, second.problem, first.sb);
            }
            return other != null && other.sequence > first.sb.sequence ? other : first.sb;
        }
    }

    private static void warnDamaged(Path file, long offset, CorruptFileException problem, Superblock used) {
        System.getLogger("io.lightningdb").log(System.Logger.Level.WARNING,
                "{0}: superblock copy at offset {1} is damaged ({2}); opening from the copy at offset {3}"
                        + " (checkpoint {4})", file, String.valueOf(offset), problem.getMessage(),
                String.valueOf(used.fileOffset()), String.valueOf(used.sequence));
    }

    /**
     * One place a superblock copy may be: the copy, or what is wrong with it, and whether the bytes
     * there are not a superblock at all (no magic: nothing was ever written there).
     */
    private record Copy(Superblock sb, CorruptFileException problem, boolean foreign) {}

    /** The copy at {@code offset}; a copy of a newer format version is thrown, never skipped. */
    private static Copy copyAt(Path file, FileChannel ch, long offset, int expectPageSize) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (ch.read(buf, offset + buf.position()) < 0) {
                return new Copy(null, new CorruptFileException(file, offset + buf.position(), "truncated superblock"),
                        false);
            }
        }
        buf.flip();
        boolean magic = buf.getLong(MAGIC_OFFSET) == MAGIC;
        try {
            return new Copy(decode(file, buf, offset, expectPageSize), null, false);
        } catch (CorruptFileException e) {
            if (magic && buf.getInt(VERSION_OFFSET) > FORMAT_VERSION) {
                throw e;
            }
            return new Copy(null, e, !magic);
        }
    }

    /** Decodes the copy read from {@code offset}; {@code expectPageSize} 0 accepts any valid size. */
    private static Superblock decode(Path file, ByteBuffer buf, long offset, int expectPageSize)
            throws CorruptFileException {
        long magic = buf.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new CorruptFileException(file, offset + MAGIC_OFFSET, "not a Lightning DB file: expected magic"
                    + " \"LIGHTNDB\", found 0x" + Long.toHexString(Long.reverseBytes(magic)));
        }
        int version = buf.getInt(VERSION_OFFSET);
        if (version < OLDEST_FORMAT_VERSION || version > FORMAT_VERSION) {
            throw new CorruptFileException(file, offset + VERSION_OFFSET, "format version " + version
                    + (version > FORMAT_VERSION ? " is newer than this build reads (" : " is not supported (")
                    + FORMAT_VERSION + ")");
        }
        int stored = buf.getInt(CRC_OFFSET);
        int computed = crc(buf.duplicate().limit(CRC_OFFSET));
        if (stored != computed) {
            throw new CorruptFileException(file, offset + CRC_OFFSET, "superblock checksum mismatch: stored CRC32C 0x"
                    + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed));
        }
        int pageSize = buf.getInt(PAGE_SIZE_OFFSET);
        if (pageSize < 4096 || pageSize > 65536 || Integer.bitCount(pageSize) != 1
                || (expectPageSize != 0 && pageSize != expectPageSize)) {
            throw new CorruptFileException(file, offset + PAGE_SIZE_OFFSET, "page size " + pageSize
                    + " is not a power of two in [4096, 65536]" + (expectPageSize != 0 ? " matching its offset" : ""));
        }
        int maxKeySize = buf.getInt(MAX_KEY_SIZE_OFFSET);
        // The tree's limit (a quarter page, so any split fits): a larger one would let puts fail mid-split.
        if (maxKeySize < 1 || maxKeySize > pageSize / 4) {
            throw new CorruptFileException(file, offset + MAX_KEY_SIZE_OFFSET, "maxKeySize " + maxKeySize
                    + " is outside [1, " + pageSize / 4 + "] (a quarter of the page size " + pageSize + ")");
        }
        Superblock sb = new Superblock(pageSize, buf.getLong(SEQUENCE_OFFSET), buf.getLong(CHECKPOINT_LSN_OFFSET),
                buf.getLong(ROOT_OFFSET), buf.getInt(HEIGHT_OFFSET), buf.getLong(KEY_COUNT_OFFSET), maxKeySize,
                buf.getLong(PID_COUNT_OFFSET), buf.getLong(SLOT_COUNT_OFFSET), buf.getLong(TABLE_HEAD_OFFSET),
                buf.getInt(TABLE_CHUNKS_OFFSET), liveBytes(file, buf, offset));
        if (sb.fileOffset() != offset) {
            throw new CorruptFileException(file, offset + SEQUENCE_OFFSET, "superblock of checkpoint " + sb.sequence
                    + " belongs at offset " + sb.fileOffset() + ", found at " + offset);
        }
        return sb;
    }

    private static long liveBytes(Path file, ByteBuffer buf, long offset) throws CorruptFileException {
        if ((buf.getInt(FLAGS_OFFSET) & FLAG_LIVE_BYTES) == 0) {
            return LIVE_BYTES_UNKNOWN;
        }
        long live = buf.getLong(LIVE_BYTES_OFFSET);
        if (live < 0) {
            throw new CorruptFileException(file, offset + LIVE_BYTES_OFFSET, "live byte count " + live + " is negative");
        }
        return live;
    }

    /** This superblock with {@code slotCount} and {@code tableHead}, known once the image's table is written. */
    public Superblock placed(long slotCount, long tableHead) {
        return new Superblock(pageSize, sequence, checkpointLsn, rootPage, treeHeight, keyCount, maxKeySize, pidCount,
                slotCount, tableHead, tableChunks, liveBytes);
    }
}
