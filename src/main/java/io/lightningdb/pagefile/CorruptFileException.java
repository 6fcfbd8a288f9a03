package io.lightningdb.pagefile;

import java.io.IOException;
import java.nio.file.Path;

/** The file is not what it should be at {@code offset}: names the file, the offset and what was expected. */
public final class CorruptFileException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final String problem;

    public CorruptFileException(Path file, long offset, String problem) {
        super(file + " at offset " + offset + ": " + problem);
        this.offset = offset;
        this.problem = problem;
    }

    public long offset() {
        return offset;
    }

    /** What is wrong, without the file and offset. */
    public String problem() {
        return problem;
    }
}
