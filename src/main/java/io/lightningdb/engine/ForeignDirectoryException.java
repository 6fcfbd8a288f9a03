package io.lightningdb.engine;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A directory that is not a Lightning DB directory, or one whose data file is missing beside its
 * log; the API reports it as {@code NotADatabaseException}.
 */
public final class ForeignDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path directory;
    private final String problem;

    ForeignDirectoryException(Path directory, String problem) {
        super(directory + " " + problem);
        this.directory = directory;
        this.problem = problem;
    }

    public Path directory() {
        return directory;
    }

    /** What is wrong with the directory, without its name. */
    public String problem() {
        return problem;
    }
}
