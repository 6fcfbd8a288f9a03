package io.lightningdb;

/** The database file is damaged where the message says (file, page, offset); nothing was changed. */
public final class CorruptDatabaseException extends LightningDbException {
    private static final long serialVersionUID = 1L;

    public CorruptDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
