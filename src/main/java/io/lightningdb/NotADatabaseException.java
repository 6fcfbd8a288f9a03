package io.lightningdb;

import java.nio.file.Path;

/**
 * The directory given to {@link Database#open} holds something that is not a Lightning DB (or a
 * log without its data file); nothing in it was changed. Names the directory and what it holds.
 */
public final class NotADatabaseException extends LightningDbException {
    private static final long serialVersionUID = 1L;

    NotADatabaseException(Path dir, String problem, Throwable cause) {
        super(dir + " " + problem, cause);
    }
}
