package io.lightningdb.cache;

import java.io.IOException;
import java.nio.file.Path;

/** A page read from disk whose checksum does not match its contents: names file, page and offset. */
public final class CorruptPageException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long pageId;

    public CorruptPageException(Path file, long pageId, long offset, int stored, int computed) {
        super(file + ": page " + pageId + " at offset " + offset + " is corrupt: stored CRC32C 0x"
                + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed));
        this.pageId = pageId;
    }

    public CorruptPageException(Path file, long pageId, String problem) {
        super(file + ": page " + pageId + " " + problem);
        this.pageId = pageId;
    }

    public long pageId() {
        return pageId;
    }
}
