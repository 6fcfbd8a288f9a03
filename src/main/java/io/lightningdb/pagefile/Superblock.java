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
 * Page 0 of the file: what a reader needs before anything else (magic, format version, page size)
 * and the roots of everything (tree root and height, free-list head, page count). Little-endian;
 * offsets below are the format (docs/file-format.md).
 *
 * @param pageSize bytes per page
 * @param pageCount pages in the file, including page 0
 * @param rootPage page id of the B-tree root
 * @param treeHeight levels of the tree (1 = the root is a leaf)
 * @param freeListHead first free-list page, or 0 for none
 * @param keyCount keys in the tree when the superblock was written
 * @param maxKeySize the key size limit the database was created with
 */
public record Superblock(
        int pageSize, long pageCount, long rootPage, int treeHeight, long freeListHead, long keyCount, int maxKeySize) {

    /** "LIGHTNDB" in ASCII (bytes 4C 49 47 48 54 4E 44 42 in the file), read as a little-endian u64. */
    public static final long MAGIC = 0x42444E544847494CL;
    public static final int FORMAT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int PAGE_SIZE_OFFSET = 12;
    public static final int PAGE_COUNT_OFFSET = 16;
    public static final int ROOT_OFFSET = 24;
    public static final int HEIGHT_OFFSET = 32;
    public static final int FLAGS_OFFSET = 36;
    public static final int FREELIST_OFFSET = 40;
    public static final int KEY_COUNT_OFFSET = 48;
    public static final int MAX_KEY_SIZE_OFFSET = 56;
    /** u32 CRC32C of bytes [0, CRC_OFFSET). */
    public static final int CRC_OFFSET = 124;
    public static final int SIZE = 128;

    /** Writes this superblock into the first {@link #SIZE} bytes of {@code page} (the rest zeroed). */
    public void encode(MemorySegment page) {
        page.fill((byte) 0);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, MAGIC_OFFSET, MAGIC);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, VERSION_OFFSET, FORMAT_VERSION);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, PAGE_SIZE_OFFSET, pageSize);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, PAGE_COUNT_OFFSET, pageCount);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, ROOT_OFFSET, rootPage);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, HEIGHT_OFFSET, treeHeight);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, FREELIST_OFFSET, freeListHead);
        page.set(ValueLayout.JAVA_LONG_UNALIGNED, KEY_COUNT_OFFSET, keyCount);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, MAX_KEY_SIZE_OFFSET, maxKeySize);
        page.set(ValueLayout.JAVA_INT_UNALIGNED, CRC_OFFSET, crc(page.asSlice(0, CRC_OFFSET).asByteBuffer()));
    }

    private static int crc(ByteBuffer bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return (int) c.getValue();
    }

    /**
     * Reads and checks the superblock of {@code file} with plain buffered I/O (the page size is
     * not known yet). Every problem is a {@link CorruptFileException} naming the offset.
     */
    public static Superblock read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, buf.position()) < 0) {
                    throw new CorruptFileException(file, buf.position(), "truncated superblock: the file has "
                            + ch.size() + " bytes, a superblock needs " + SIZE);
                }
            }
        }
        buf.flip();
        long magic = buf.getLong(MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new CorruptFileException(file, MAGIC_OFFSET, "not a Lightning DB file: expected magic \"LIGHTNDB\", found 0x"
                    + Long.toHexString(Long.reverseBytes(magic)));
        }
        int version = buf.getInt(VERSION_OFFSET);
        if (version != FORMAT_VERSION) {
            throw new CorruptFileException(file, VERSION_OFFSET, "format version " + version
                    + (version > FORMAT_VERSION ? " is newer than this build reads (" : " is not supported (")
                    + FORMAT_VERSION + ")");
        }
        int stored = buf.getInt(CRC_OFFSET);
        int computed = crc(buf.duplicate().limit(CRC_OFFSET));
        if (stored != computed) {
            throw new CorruptFileException(file, CRC_OFFSET, "superblock checksum mismatch: stored CRC32C 0x"
                    + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed));
        }
        int pageSize = buf.getInt(PAGE_SIZE_OFFSET);
        if (pageSize < 4096 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new CorruptFileException(file, PAGE_SIZE_OFFSET, "page size " + pageSize + " is not a power of two in [4096, 65536]");
        }
        int maxKeySize = buf.getInt(MAX_KEY_SIZE_OFFSET);
        // The tree's limit (a quarter page, so any split fits): a larger one would let puts fail mid-split.
        if (maxKeySize < 1 || maxKeySize > pageSize / 4) {
            throw new CorruptFileException(file, MAX_KEY_SIZE_OFFSET, "maxKeySize " + maxKeySize + " is outside [1, "
                    + pageSize / 4 + "] (a quarter of the page size " + pageSize + ")");
        }
        return new Superblock(pageSize, buf.getLong(PAGE_COUNT_OFFSET), buf.getLong(ROOT_OFFSET), buf.getInt(HEIGHT_OFFSET),
                buf.getLong(FREELIST_OFFSET), buf.getLong(KEY_COUNT_OFFSET), maxKeySize);
    }
}
