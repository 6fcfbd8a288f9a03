package io.lightningdb.wal;

import java.io.IOException;

/**
 * Records the caller relies on are missing or unreadable (for example a checkpoint LSN past the
 * valid end of the log). The message names the segment file and offset.
 */
public class WalCorruptException extends IOException {
    private static final long serialVersionUID = 1L;

    public WalCorruptException(String message) {
        super(message);
    }
}
