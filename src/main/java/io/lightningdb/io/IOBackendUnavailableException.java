package io.lightningdb.io;

import java.io.IOException;

/** An explicitly requested I/O backend cannot run here; the message says why and what to install. */
public final class IOBackendUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    public IOBackendUnavailableException(PageIOBackend backend, String reason) {
        super("io backend " + backend + " is unavailable: " + reason);
    }
}
