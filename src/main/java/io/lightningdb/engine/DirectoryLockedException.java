package io.lightningdb.engine;

import java.io.IOException;
import java.nio.file.Path;

/** The database directory is locked by another handle; the API reports it as {@code DatabaseLockedException}. */
public final class DirectoryLockedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path directory;
    private final long holderPid;

    DirectoryLockedException(Path directory, long holderPid, Throwable cause) {
        super(directory + " is locked by " + (holderPid > 0 ? "process " + holderPid : "another process"), cause);
        this.directory = directory;
        this.holderPid = holderPid;
    }

    public Path directory() {
        return directory;
    }

    /** The pid of the process holding the lock, or -1 when it is not known. */
    public long holderPid() {
        return holderPid;
    }
}
