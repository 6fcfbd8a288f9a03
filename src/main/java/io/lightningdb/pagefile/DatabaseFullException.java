package io.lightningdb.pagefile;

import java.io.IOException;
import java.nio.file.Path;

/** The file reached the configured maximum size (maxDatabaseSize); nothing was written. */
public final class DatabaseFullException extends IOException {
    private static final long serialVersionUID = 1L;

    public DatabaseFullException(Path file, long maxBytes) {
        super(file + ": database full: maxDatabaseSize " + maxBytes + " bytes reached");
    }
}
