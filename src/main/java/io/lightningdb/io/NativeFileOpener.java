package io.lightningdb.io;

import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.Libc;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/** Opens a data file for the native backends, falling back from O_DIRECT when the filesystem refuses it. */
final class NativeFileOpener {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.io");
    static final int FILE_MODE = 0644;

    /** An open file descriptor and whether O_DIRECT is actually in effect. */
    record OpenFile(int fd, boolean direct) {}

    private NativeFileOpener() {}

    static OpenFile open(Path path, boolean wantDirect) throws IOCallException {
        int flags = Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC;
        if (wantDirect) {
            try {
                return new OpenFile(Libc.open(path, flags | Libc.O_DIRECT, FILE_MODE), true);
            } catch (IOCallException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP) {
                    throw e;
                }
                LOG.log(Level.WARNING, "{0}: the filesystem refuses O_DIRECT ({1}); using buffered I/O",
                        path, e.errnoName());
            }
        }
        return new OpenFile(Libc.open(path, flags, FILE_MODE), false);
    }
}
