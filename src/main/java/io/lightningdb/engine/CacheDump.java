package io.lightningdb.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The warm restart's list ({@code lightning.cachedump} in the database directory): the ids of the
 * pages the cache held, hottest first, as InnoDB dumps its buffer pool at shutdown. Written at
 * close and after background checkpoints, read back at open by {@link CacheWarmer}. It is a hint,
 * never a source of truth: written to a temporary file and renamed into place without a sync, and
 * any damage (a torn or foreign file, a page size that is not the database's) makes the list be
 * ignored, with a log line. The layout, little-endian (docs/file-format.md):
 *
 * <pre>
 * offset size
 *   0     8   magic "LNCDUMP1"
 *   8     4   version (1)
 *  12     4   page size of the database
 *  16     8   page id count n
 *  24     4   CRC32C of bytes [0, 24) and of the n ids
 *  28     4   reserved, zero
 *  32    8n   page ids, hottest first
 * </pre>
 */
final class CacheDump {
    static final String FILE_NAME = "lightning.cachedump";
    /** "LNCDUMP1" in ASCII, read as a little-endian u64. */
    static final long MAGIC = 0x31504D5544434E4CL;
    static final int VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int PAGE_SIZE_OFFSET = 12;
    static final int COUNT_OFFSET = 16;
    static final int CRC_OFFSET = 24;
    static final int HEADER_BYTES = 32;

    private CacheDump() {}

    /** Raised for a list that cannot be used; its message names the file and what is wrong. */
    static final class DamagedDumpException extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedDumpException(Path file, String problem) {
            super(file + ": " + problem);
        }
    }

    /** Writes {@code ids[0..n)} as the directory's list, replacing the last one whole. */
    static void write(Path dir, int pageSize, long[] ids, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + n * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(PAGE_SIZE_OFFSET, pageSize)
                .putLong(COUNT_OFFSET, n);
        for (int i = 0; i < n; i++) {
            b.putLong(HEADER_BYTES + i * Long.BYTES, ids[i]);
        }
        b.putInt(CRC_OFFSET, crc(b, n));
        Path file = dir.resolve(FILE_NAME);
        Path tmp = dir.resolve(FILE_NAME + Engine.TEMP_SUFFIX);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The directory's list, or an empty array when there is none; a list that is damaged or not
     * this database's throws {@link DamagedDumpException}. At most {@code maxIds} ids are read
     * (the file may list more pages than this open's cache holds).
     */
    static long[] read(Path dir, int pageSize, int maxIds) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException none) {
            return new long[0];
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER_BYTES) {
            throw new DamagedDumpException(file, bytes.length + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
        }
        if (b.getLong(MAGIC_OFFSET) != MAGIC) {
            throw new DamagedDumpException(file, "no cache dump magic at offset " + MAGIC_OFFSET);
        }
        if (b.getInt(VERSION_OFFSET) != VERSION) {
            throw new DamagedDumpException(file, "version " + b.getInt(VERSION_OFFSET) + " at offset " + VERSION_OFFSET
                    + ", this build reads " + VERSION);
        }
        if (b.getInt(PAGE_SIZE_OFFSET) != pageSize) {
            throw new DamagedDumpException(file, "page size " + b.getInt(PAGE_SIZE_OFFSET) + " at offset "
                    + PAGE_SIZE_OFFSET + ", the database's is " + pageSize);
        }
        long n = b.getLong(COUNT_OFFSET);
        if (n < 0 || n != (bytes.length - HEADER_BYTES) / Long.BYTES || (bytes.length - HEADER_BYTES) % Long.BYTES != 0) {
            throw new DamagedDumpException(file, "count " + n + " at offset " + COUNT_OFFSET + " does not match the "
                    + bytes.length + "-byte file");
        }
        if (b.getInt(CRC_OFFSET) != crc(b, (int) n)) {
            throw new DamagedDumpException(file, "CRC32C at offset " + CRC_OFFSET + " does not match the contents");
        }
        long[] ids = new long[(int) Math.min(n, maxIds)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = b.getLong(HEADER_BYTES + i * Long.BYTES);
        }
        return ids;
    }

    private static int crc(ByteBuffer b, int n) {
        CRC32C crc = new CRC32C();
        crc.update(b.duplicate().position(0).limit(CRC_OFFSET));
        crc.update(b.duplicate().position(HEADER_BYTES).limit(HEADER_BYTES + n * Long.BYTES));
        return (int) crc.getValue();
    }
}
