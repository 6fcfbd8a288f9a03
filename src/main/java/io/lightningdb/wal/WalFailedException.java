package io.lightningdb.wal;

import java.io.IOException;

/**
 * A write or fdatasync of the log failed: the WAL is failed for good and the database must be
 * reopened (which replays the log from what is really on disk). An fsync is never retried, because
 * after a failed fsync the kernel may have dropped the dirty pages and a retry would report success
 * for data that is gone (PostgreSQL, "fsyncgate", 2018).
 */
public class WalFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    public WalFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
