package io.lightningdb.io;

/** Which page I/O backend to use. */
public enum PageIOBackend {
    /** The best that works here: io_uring, else pread/pwrite, else FileChannel. */
    AUTO,
    /** io_uring through liburing (Linux 5.6+, liburing2 installed). */
    URING,
    /** pread/pwrite system calls through FFM, with O_DIRECT when asked. */
    POSIX,
    /** java.nio FileChannel: portable, works everywhere the JDK runs. */
    CHANNEL
}
