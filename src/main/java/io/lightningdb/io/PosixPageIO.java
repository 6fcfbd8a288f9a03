package io.lightningdb.io;

import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * pread/pwrite through FFM, one system call per page request, with O_DIRECT when asked and
 * allowed. The fastest choice at queue depth 1; batches run one request after another.
 */
public final class PosixPageIO extends AbstractPageIO {
    private final int fd;

    private PosixPageIO(Path path, int pageSize, NativeFileOpener.OpenFile file) {
        super(path, pageSize, file.direct());
        this.fd = file.fd();
    }

    /** Opens (creating if absent) {@code path}; O_DIRECT when {@code direct} and the filesystem allows. */
    public static PosixPageIO open(Path path, int pageSize, boolean direct) throws IOException {
        checkPageSize(pageSize);
        return new PosixPageIO(path, pageSize, NativeFileOpener.open(path, direct));
    }

    @Override
    public PageIOBackend backend() {
        return PageIOBackend.POSIX;
    }

    @Override
    String readCall() {
        return "pread";
    }

    @Override
    String writeCall() {
        return "pwrite";
    }

    @Override
    void doRead(long offset, MemorySegment dst) throws IOException {
        Libc.preadFully(fd, dst, offset, path);
    }

    @Override
    void doWrite(long offset, MemorySegment src) throws IOException {
        Libc.pwriteFully(fd, src, offset, path);
    }

    @Override
    public void sync() throws IOException {
        guarded("fdatasync", IOCallException.NO_OFFSET, -1, () -> {
            Libc.fdatasync(fd, path);
            return null;
        });
    }

    @Override
    public long size() throws IOException {
        return guarded("lseek", IOCallException.NO_OFFSET, -1, () -> Libc.fileSize(fd, path));
    }

    @Override
    public void preallocate(long offset, long length) throws IOException {
        checkRange("fallocate", offset, length);
        guarded("fallocate", offset, length, () -> {
            preallocate(fd, path, offset, length);
            return null;
        });
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
    public void punchHole(long offset, long length) throws IOException {
        checkRange("fallocate(PUNCH_HOLE)", offset, length);
        guarded("fallocate(PUNCH_HOLE)", offset, length, () -> {
            Libc.punchHole(fd, offset, length, path);
            return null;
        });
    }

    @Override
    public void truncate(long size) throws IOException {
        if (size < 0 || (size & (pageSize - 1)) != 0) {
            throw new MisalignedIOException("ftruncate", path, size, -1, "size must be a non-negative multiple of the page size " + pageSize);
        }
        guarded("ftruncate", size, -1, () -> {
            Libc.ftruncate(fd, size, path);
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        if (beginClose()) {
            Libc.close(fd, path);
        }
    }
}
