package io.lightningdb.io;

import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import java.nio.file.Path;

/**
 * A page request whose offset, length or buffer address breaks the alignment the backend needs
 * (the page size, or 4096 bytes for O_DIRECT buffers). Thrown before any I/O is issued, with the
 * errno the kernel would have given (EINVAL).
 */
public final class MisalignedIOException extends IOCallException {
    private static final long serialVersionUID = 1L;

    public MisalignedIOException(String call, Path file, long offset, long length, String detail) {
        super(call, Errno.EINVAL, file, offset, length, detail);
    }
}
