package io.lightningdb.cache;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32C;

/**
 * What the buffer pool knows of a page's bytes: the first 4 bytes hold a CRC32C of the rest,
 * written when the page goes to disk and checked when it comes back. Everything after them
 * belongs to the page's owner (see docs/file-format.md).
 */
public final class PageFrames {
    /** Offset of the u32 CRC32C of bytes [4, pageSize). */
    public static final int CRC_OFFSET = 0;
    /** First byte the page's owner may use. */
    public static final int PAYLOAD_OFFSET = 4;

    private PageFrames() {}

    public static int computeCrc(MemorySegment page) {
        CRC32C crc = new CRC32C();
        crc.update(page.asSlice(PAYLOAD_OFFSET).asByteBuffer());
        return (int) crc.getValue();
    }

    public static void seal(MemorySegment page) {
        page.set(ValueLayout.JAVA_INT, CRC_OFFSET, computeCrc(page));
    }

    public static int storedCrc(MemorySegment page) {
        return page.get(ValueLayout.JAVA_INT, CRC_OFFSET);
    }
}
