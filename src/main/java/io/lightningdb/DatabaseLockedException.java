package io.lightningdb;

import java.nio.file.Path;

/**
 * Another open handle, in this process or another, holds the database directory: one process and
 * one handle at a time write a database. Names the directory and, when the holder wrote it, its pid.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="locked"}
 */
public final class DatabaseLockedException extends LightningDbException {
    private static final long serialVersionUID = 1L;
    private final transient Path directory;
    private final long holderPid;

    DatabaseLockedException(Path directory, long holderPid, Throwable cause) {
        super(directory + " is locked by " + (holderPid > 0 ? "process " + holderPid : "another process")
                + (holderPid == ProcessHandle.current().pid() ? " (this process: another open handle)" : "")
                + ": a database is open by one handle at a time; close the other handle first", cause);
        this.directory = directory;
        this.holderPid = holderPid;
    }

    /** The locked database directory. */
    public Path directory() {
        return directory;
    }

    /** The pid of the process holding the lock, or -1 when it is not known. */
    public long holderPid() {
        return holderPid;
    }
}
