package io.lightningdb.io;

import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * pread/pwrite through FFM, one system call per page request, with O_DIRECT when asked and
 * allowed. The fastest choice at queue depth 1; batches run one request after another.
 */
public final class PosixPageIO extends NativePageIO {
    private PosixPageIO(Path path, int pageSize, OpenFile file) {
        super(path, pageSize, file);
    }

    /** Opens (creating if absent) {@code path}; O_DIRECT when {@code direct} and the filesystem allows. */
    public static PosixPageIO open(Path path, int pageSize, boolean direct) throws IOException {
        checkPageSize(pageSize);
        return new PosixPageIO(path, pageSize, openFile(path, direct));
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
}
