package io.lightningdb;

import java.nio.file.Path;

/**
 * A configuration file could not be used: unreadable, not JSON, an unknown field, a value of the
 * wrong type or out of range. The message names the file, the field and what is allowed; nothing
 * is opened with a half-read configuration.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="badFile"}
 */
public final class ConfigFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final String field;

    ConfigFileException(Path file, String field, String problem, Throwable cause) {
        super(file + (field == null ? "" : ": field \"" + field + "\"") + ": " + problem, cause);
        this.file = file;
        this.field = field;
    }

    /** The file that was read. */
    public Path file() {
        return file;
    }

    /** The field at fault, or null when the problem is the file as a whole. */
    public String field() {
        return field;
    }
}
