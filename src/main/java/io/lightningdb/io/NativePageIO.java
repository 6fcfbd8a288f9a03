package io.lightningdb.io;

import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * The file handling of the backends that hold a libc descriptor (pread/pwrite and io_uring):
 * opening the file, with O_DIRECT when the filesystem allows it, and the whole-file calls (sync,
 * size, preallocate, punch-hole, truncate, close), which they make the same way. A subclass says
 * only how pages are read and written, and what else it frees at close.
 */
abstract class NativePageIO extends AbstractPageIO {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.io");
    static final int FILE_MODE = 0644;

    /** An open file descriptor and whether O_DIRECT is actually in effect. */
    record OpenFile(int fd, boolean direct) {}

    final int fd;

    NativePageIO(Path path, int pageSize, OpenFile file) {
        super(path, pageSize, file.direct());
        this.fd = file.fd();
    }

    /** Opens (creating if absent) {@code path}, falling back from O_DIRECT when the filesystem refuses it. */
    static OpenFile openFile(Path path, boolean wantDirect) throws IOCallException {
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

    /** fallocate, or extending with ftruncate on filesystems without it. */
    static void preallocate(int fd, Path path, long offset, long length) throws IOCallException {
        try {
            Libc.fallocate(fd, 0, offset, length, path);
        } catch (IOCallException e) {
            if (e.errno() != Errno.EOPNOTSUPP) {
                throw e;
            }
            if (Libc.fileSize(fd, path) < offset + length) {
                Libc.ftruncate(fd, offset + length, path);
            }
        }
    }

    @Override
    public final void sync() throws IOException {
        guarded("fdatasync", IOCallException.NO_OFFSET, -1, () -> {
            Libc.fdatasync(fd, path);
            return null;
        });
    }

    @Override
    public final long size() throws IOException {
        return guarded("lseek", IOCallException.NO_OFFSET, -1, () -> Libc.fileSize(fd, path));
    }

    @Override
    public final void preallocate(long offset, long length) throws IOException {
        checkRange("fallocate", offset, length);
        guarded("fallocate", offset, length, () -> {
            preallocate(fd, path, offset, length);
            return null;
        });
    }

    @Override
    public final void punchHole(long offset, long length) throws IOException {
        checkRange("fallocate(PUNCH_HOLE)", offset, length);
        guarded("fallocate(PUNCH_HOLE)", offset, length, () -> {
            Libc.punchHole(fd, offset, length, path);
            return null;
        });
    }

    @Override
    public final void truncate(long size) throws IOException {
        checkFileSize("ftruncate", size);
        guarded("ftruncate", size, -1, () -> {
            Libc.ftruncate(fd, size, path);
            return null;
        });
    }

    /** Waits for calls in progress, frees what the backend holds besides the file, closes the file. */
    @Override
    public final void close() throws IOException {
        if (beginClose()) {
            try {
                releaseBeforeClose();
            } finally {
                Libc.close(fd, path);
            }
        }
    }

    /** What the backend frees before its descriptor closes; no call is in progress. */
    void releaseBeforeClose() throws IOException {}
}
