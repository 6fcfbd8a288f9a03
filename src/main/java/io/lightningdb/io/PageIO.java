package io.lightningdb.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Whole-page reads and writes on one file. Offsets and lengths are multiples of
 * {@link #pageSize()}; buffers are off-heap segments, aligned to 4096 bytes when
 * {@link #directIo()} is true. Implementations are safe for concurrent use by many threads.
 *
 * {@snippet class=io.lightningdb.io.IoExamples region="readWrite"}
 *
 * <p>Failures are {@link io.lightningdb.nativeio.IOCallException}s naming the call, errno, file
 * and offset; misuse of alignment is a {@link MisalignedIOException} thrown before any I/O.
 */
public interface PageIO extends AutoCloseable {
    /** The file this reads and writes. */
    Path path();

    /** The backend actually in use (never {@code AUTO}). */
    PageIOBackend backend();

    /** Whether the file is open with O_DIRECT. */
    boolean directIo();

    /** The unit of offsets and lengths, a power of two from 4 KiB to 64 KiB. */
    int pageSize();

    /** Reads {@code dst.byteSize()} bytes at {@code offset}; reading past end of file is an error. */
    void read(long offset, MemorySegment dst) throws IOException;

    /** Writes all of {@code src} at {@code offset}, extending the file if needed. */
    void write(long offset, MemorySegment src) throws IOException;

    /**
     * Performs every request of the batch, as many at once as the backend allows and in any order,
     * and returns when all have completed. Requests may overlap only if none of them writes the
     * common bytes; a batch breaking that (or any request's alignment) is refused before any I/O. If any failed, throws the first failure (others suppressed) only after
     * every request has completed, so no buffer is still the target of I/O when this returns.
     */
    void execute(PageBatch batch) throws IOException;

    /** fdatasync: written data reaches stable storage. */
    void sync() throws IOException;

    /** The file size in bytes. */
    long size() throws IOException;

    /** Allocates disk blocks for the range, extending the file when it ends past the current size. */
    void preallocate(long offset, long length) throws IOException;

    /** Frees the disk blocks of the range; it then reads as zeros and the file size is unchanged. */
    void punchHole(long offset, long length) throws IOException;

    /** Sets the file size. */
    void truncate(long size) throws IOException;

    /** Waits for operations in progress, then closes the file; later calls fail with EBADF. */
    @Override
    void close() throws IOException;
}
