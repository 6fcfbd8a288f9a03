package io.lightningdb;

/**
 * The database could not do what was asked: an I/O failure, a corrupt file, a full disk or
 * database. The message names the file and offset where there is one; the cause is the
 * underlying exception. Unchecked, so the API reads like a collection's.
 */
public class LightningDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LightningDbException(String message, Throwable cause) {
        super(message, cause);
    }
}
