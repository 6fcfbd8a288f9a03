package io.lightningdb.nativeio;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A failed I/O call: names the call, the errno (when the kernel gave one), the file and the
 * offset, e.g. {@code pread(/data/db.pages, offset 8192, 4096 bytes): EINVAL (Invalid argument)}.
 *
 * <p>Every page I/O backend throws this type (or a subclass) so callers can tell an I/O failure
 * from a programming error without parsing messages.
 */
public class IOCallException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Offset value meaning the call has no file offset (open, fsync, close). */
    public static final long NO_OFFSET = -1;

    private final String call;
    private final int errno;
    private final transient Path file;
    private final long offset;

    public IOCallException(String call, int errno, Path file, long offset, long length, String detail) {
        this(call, errno, file, offset, length, detail, null);
    }

    public IOCallException(
            String call, int errno, Path file, long offset, long length, String detail, Throwable cause) {
        super(format(call, errno, file, offset, length, detail), cause);
        this.call = call;
        this.errno = errno;
        this.file = file;
        this.offset = offset;
    }

    private static String format(String call, int errno, Path file, long offset, long length, String detail) {
        StringBuilder sb = new StringBuilder(call).append('(');
        sb.append(file == null ? "<no file>" : file.toString());
        if (offset != NO_OFFSET) {
            sb.append(", offset ").append(offset);
        }
        if (length >= 0) {
            sb.append(", ").append(length).append(" bytes");
        }
        sb.append(')');
        if (errno != 0) {
            sb.append(": ").append(Errno.name(errno));
        }
        if (detail != null && !detail.isEmpty()) {
            sb.append(errno != 0 ? " (" : ": ").append(detail).append(errno != 0 ? ")" : "");
        }
        return sb.toString();
    }

    /** The failed call, e.g. {@code "pread"}, {@code "io_uring read"}, {@code "open"}. */
    public String call() {
        return call;
    }

    /** The errno the kernel returned, or 0 when the failure was not an errno (end of file). */
    public int errno() {
        return errno;
    }

    /** The symbolic errno, e.g. {@code "ENOSPC"}, or null when there is none. */
    public String errnoName() {
        return errno == 0 ? null : Errno.name(errno);
    }

    /** The file the call was made on, or null. */
    public Path file() {
        return file;
    }

    /** The file offset of the call, or {@link #NO_OFFSET}. */
    public long offset() {
        return offset;
    }
}
