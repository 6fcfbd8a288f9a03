package io.lightningdb.cache;

import java.io.IOException;
import java.nio.file.Path;

/** The file may not grow: every slot it may span is in use. Nothing was written. */
public final class FileFullException extends IOException {
    private static final long serialVersionUID = 1L;

    public FileFullException(Path file, long maxSlots) {
        super(file + ": database full: the file may not grow past " + maxSlots
                + " pages (twice maxDatabaseSize, room for the checkpointed copy of every page)");
    }
}
