package io.lightningdb.io;

import io.lightningdb.nativeio.Errno;
import io.lightningdb.nativeio.IOCallException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * What every backend shares: argument checks with exact messages, and a close guard so that no
 * call ever runs on a file descriptor that close() released (and the kernel may have reused).
 */
abstract class AbstractPageIO implements PageIO {
    /** Memory alignment O_DIRECT needs on the filesystems we support (ext4, xfs: logical block 4096 at most). */
    static final int DIRECT_BUFFER_ALIGNMENT = 4096;
    static final int MIN_PAGE_SIZE = 4096;
    static final int MAX_PAGE_SIZE = 65536;

    private static final long CLOSED = Long.MIN_VALUE;

    final Path path;
    final int pageSize;
    final boolean direct;
    /** Count of calls in progress; the sign bit is set once close() has begun. */
    private final AtomicLong inUse = new AtomicLong();

    AbstractPageIO(Path path, int pageSize, boolean direct) {
        checkPageSize(pageSize);
        this.path = path;
        this.pageSize = pageSize;
        this.direct = direct;
    }

    static void checkPageSize(int pageSize) {
        if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two in [" + MIN_PAGE_SIZE + ", "
                    + MAX_PAGE_SIZE + "], got " + pageSize);
        }
    }

    @Override
    public final Path path() {
        return path;
    }

    @Override
    public final int pageSize() {
        return pageSize;
    }

    @Override
    public final boolean directIo() {
        return direct;
    }

    /** Enters a call; throws EBADF if the file is closed. Pair with {@link #exit()}. */
    final void enter(String call, long offset, long length) throws IOCallException {
        while (true) {
            long v = inUse.get();
            if (v < 0) {
                throw new IOCallException(call, Errno.EBADF, path, offset, length, "file is closed");
            }
            if (inUse.compareAndSet(v, v + 1)) {
                return;
            }
        }
    }

    final void exit() {
        inUse.decrementAndGet();
    }

    /** Marks closed and waits for calls in progress; returns false if already closed. */
    final boolean beginClose() {
        while (true) {
            long v = inUse.get();
            if (v < 0) {
                return false;
            }
            if (inUse.compareAndSet(v, v | CLOSED)) {
                break;
            }
        }
        while (inUse.get() != CLOSED) {
            LockSupport.parkNanos(10_000);
        }
        return true;
    }

    final boolean isClosed() {
        return inUse.get() < 0;
    }

    /** Checks one page request; the message names the call, file, offset and the broken rule. */
    final void checkRequest(String call, long offset, MemorySegment seg) throws MisalignedIOException {
        long len = seg.byteSize();
        if (!seg.isNative()) {
            throw new IllegalArgumentException(call + "(" + path + ", offset " + offset
                    + "): buffer must be an off-heap segment, got a heap segment");
        }
        if (offset < 0 || (offset & (pageSize - 1)) != 0) {
            throw new MisalignedIOException(call, path, offset, len,
                    "offset is not a non-negative multiple of the page size " + pageSize);
        }
        if (len <= 0 || (len & (pageSize - 1)) != 0) {
            throw new MisalignedIOException(call, path, offset, len,
                    "length is not a positive multiple of the page size " + pageSize);
        }
        if (direct && (seg.address() & (DIRECT_BUFFER_ALIGNMENT - 1)) != 0) {
            throw new MisalignedIOException(call, path, offset, len, "buffer address 0x"
                    + Long.toHexString(seg.address()) + " is not " + DIRECT_BUFFER_ALIGNMENT
                    + "-byte aligned as O_DIRECT requires");
        }
    }

    final void checkRange(String call, long offset, long length) throws MisalignedIOException {
        if (offset < 0 || length <= 0 || (offset & (pageSize - 1)) != 0 || (length & (pageSize - 1)) != 0) {
            throw new MisalignedIOException(call, path, offset, length,
                    "range must start at a multiple of the page size " + pageSize + " and span whole pages");
        }
    }

    /** Checks a size the file is to be cut or extended to. */
    final void checkFileSize(String call, long size) throws MisalignedIOException {
        if (size < 0 || (size & (pageSize - 1)) != 0) {
            throw new MisalignedIOException(call, path, size, -1,
                    "size must be a non-negative multiple of the page size " + pageSize);
        }
    }

    /** The call name used in messages for reads and writes, e.g. "pread" / "pwrite". */
    abstract String readCall();

    abstract String writeCall();

    /** One read, arguments already checked, inside enter/exit. */
    abstract void doRead(long offset, MemorySegment dst) throws IOException;

    /** One write, arguments already checked, inside enter/exit. */
    abstract void doWrite(long offset, MemorySegment src) throws IOException;

    @Override
    public final void read(long offset, MemorySegment dst) throws IOException {
        checkRequest(readCall(), offset, dst);
        enter(readCall(), offset, dst.byteSize());
        try {
            doRead(offset, dst);
        } finally {
            exit();
        }
    }

    @Override
    public final void write(long offset, MemorySegment src) throws IOException {
        checkRequest(writeCall(), offset, src);
        enter(writeCall(), offset, src.byteSize());
        try {
            doWrite(offset, src);
        } finally {
            exit();
        }
    }

    /** Checks every request before any I/O, so bad input never leaves a batch half-applied. */
    @Override
    public final void execute(PageBatch batch) throws IOException {
        int n = batch.size();
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            checkRequest(batch.isWrite(i) ? writeCall() : readCall(), batch.offset(i), batch.segment(i));
        }
        long overlap = batch.findOverlap();
        if (overlap >= 0) {
            int a = (int) (overlap >>> 32);
            int b = (int) overlap;
            throw new IllegalArgumentException(path + ": batch requests " + a + " (" + batch.describe(a) + ") and "
                    + b + " (" + batch.describe(b) + ") overlap and one writes; a batch's requests run"
                    + " concurrently, so a page written in a batch must appear in it only once");
        }
        enter(readCall() + " batch", batch.offset(0), -1);
        try {
            doExecute(batch);
        } finally {
            exit();
        }
    }

    /** Performs a checked batch; the default runs the requests one after another. */
    void doExecute(PageBatch batch) throws IOException {
        IOException first = null;
        for (int i = 0; i < batch.size(); i++) {
            try {
                if (batch.isWrite(i)) {
                    doWrite(batch.offset(i), batch.segment(i));
                } else {
                    doRead(batch.offset(i), batch.segment(i));
                }
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Runs a whole-file operation inside enter/exit. */
    final <T> T guarded(String call, long offset, long length, FileOp<T> op) throws IOException {
        enter(call, offset, length);
        try {
            return op.run();
        } finally {
            exit();
        }
    }

    @FunctionalInterface
    interface FileOp<T> {
        T run() throws IOException;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + path + ", pageSize=" + pageSize + ", direct=" + direct + "]";
    }
}
