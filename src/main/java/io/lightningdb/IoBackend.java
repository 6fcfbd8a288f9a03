package io.lightningdb;

/**
 * Which page I/O backend a database uses, the production guide's {@code io_config}: the best
 * that works here by default, or one named outright.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="ioBackend"}
 *
 * <p>A named backend that cannot run here is refused at open with
 * an exception naming what to install; {@link Capabilities#ioBackend()} says which one runs.
 */
public enum IoBackend {
    /** The best that works here: io_uring, else pread/pwrite, else FileChannel. */
    AUTO,
    /** io_uring through liburing (Linux 5.6+, liburing2 installed). */
    URING,
    /** pread/pwrite system calls through FFM, with O_DIRECT when asked. */
    POSIX,
    /** java.nio FileChannel: portable, works everywhere the JDK runs. */
    CHANNEL
}
