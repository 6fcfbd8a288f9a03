package io.lightningdb.engine;

import java.io.IOException;

/** The handle refuses writes for good since its log failed to sync; reads still work. */
public final class WritesRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    WritesRefusedException(String message) {
        super(message);
    }
}
