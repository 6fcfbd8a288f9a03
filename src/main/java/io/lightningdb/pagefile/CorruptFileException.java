package io.lightningdb.pagefile;

import java.io.IOException;
import java.nio.file.Path;

/** The file is not what it should be at {@code offset}: names the file, the offset and what was expected. */
public final class CorruptFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptFileException(Path file, long offset, String problem) {
        super(file + " at offset " + offset + ": " + problem);
    }
}
