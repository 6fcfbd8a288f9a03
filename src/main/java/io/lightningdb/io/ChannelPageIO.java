package io.lightningdb.io;

import com.sun.nio.file.ExtendedOpenOption;
import io.lightningdb.nativeio.EndOfFileException;
import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The portable backend: {@link FileChannel} positional reads and writes, with the JDK's own
 * O_DIRECT ({@link ExtendedOpenOption#DIRECT}) when asked and allowed. Hole punching and
 * preallocation use a second, plain descriptor through libc where libc is available; elsewhere
 * a punched range is overwritten with zeros (it reads as zeros, the blocks stay allocated).
 */
public final class ChannelPageIO extends AbstractPageIO {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.io");

    private final FileChannel channel;
    /** A plain libc descriptor for fallocate/ftruncate, or -1 where libc is unavailable. */
    private final int sideFd;

    private ChannelPageIO(Path path, int pageSize, boolean direct, FileChannel channel, int sideFd) {
        super(path, pageSize, direct);
        this.channel = channel;
        this.sideFd = sideFd;
    }

    /** Opens (creating if absent) {@code path}; O_DIRECT when {@code direct} and the filesystem allows. */
    public static ChannelPageIO open(Path path, int pageSize, boolean direct) throws IOException {
        checkPageSize(pageSize);
        List<OpenOption> options = new ArrayList<>(List.of(
                StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE));
        FileChannel ch = null;
        boolean actualDirect = false;
        if (direct) {
            List<OpenOption> withDirect = new ArrayList<>(options);
            withDirect.add(ExtendedOpenOption.DIRECT);
            try {
                ch = FileChannel.open(path, withDirect.toArray(OpenOption[]::new));
                actualDirect = true;
            } catch (IOException | UnsupportedOperationException e) {
                LOG.log(Level.WARNING, "{0}: the filesystem refuses O_DIRECT ({1}); using buffered I/O", path, e.getMessage());
            }
        }
        if (ch == null) {
            try {
                ch = FileChannel.open(path, options.toArray(OpenOption[]::new));
            } catch (IOException e) {
                throw new IOCallException("FileChannel.open", 0, path, IOCallException.NO_OFFSET, -1, e.toString(), e);
            }
        }
        int side = -1;
        if (Libc.isAvailable()) {
            try {
                side = Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
            } catch (IOCallException e) {
                ch.close();
                throw e;
            }
        }
        return new ChannelPageIO(path, pageSize, actualDirect, ch, side);
    }

    @Override
    public PageIOBackend backend() {
        return PageIOBackend.CHANNEL;
    }

    @Override
    String readCall() {
        return "FileChannel.read";
    }

    @Override
    String writeCall() {
        return "FileChannel.write";
    }

    @Override
    void doRead(long offset, MemorySegment dst) throws IOException {
        ByteBuffer buf = dst.asByteBuffer();
        long len = dst.byteSize();
        try {
            while (buf.hasRemaining()) {
                int n = channel.read(buf, offset + buf.position());
                if (n < 0) {
                    throw new EndOfFileException(readCall(), path, offset, len, buf.position(), channel.size());
                }
            }
        } catch (IOCallException e) {
            throw e;
        } catch (IOException e) {
            throw new IOCallException(readCall(), 0, path, offset, len, e.toString(), e);
        }
    }

    @Override
    void doWrite(long offset, MemorySegment src) throws IOException {
        ByteBuffer buf = src.asByteBuffer();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf, offset + buf.position());
            }
        } catch (IOException e) {
            throw new IOCallException(writeCall(), 0, path, offset, src.byteSize(), e.toString(), e);
        }
    }

    @Override
    public void sync() throws IOException {
        guarded("FileChannel.force", IOCallException.NO_OFFSET, -1, () -> {
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new IOCallException("FileChannel.force", 0, path, IOCallException.NO_OFFSET, -1, e.toString(), e);
            }
            return null;
        });
    }

    @Override
    public long size() throws IOException {
        return guarded("FileChannel.size", IOCallException.NO_OFFSET, -1, channel::size);
    }

    @Override
    public void preallocate(long offset, long length) throws IOException {
        checkRange("fallocate", offset, length);
        guarded("fallocate", offset, length, () -> {
            if (sideFd >= 0) {
                NativePageIO.preallocate(sideFd, path, offset, length);
            } else if (channel.size() < offset + length) {
                writeZeros(offset + length - pageSize, pageSize);
            }
            return null;
        });
    }

    @Override
    public void punchHole(long offset, long length) throws IOException {
        checkRange("fallocate(PUNCH_HOLE)", offset, length);
        guarded("fallocate(PUNCH_HOLE)", offset, length, () -> {
            if (sideFd >= 0) {
                Libc.punchHole(sideFd, offset, length, path);
            } else {
                writeZeros(offset, length);
            }
            return null;
        });
    }

    private void writeZeros(long offset, long length) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zeros = arena.allocate(pageSize, DIRECT_BUFFER_ALIGNMENT);
            for (long p = offset; p < offset + length; p += pageSize) {
                doWrite(p, zeros);
            }
        }
    }

    @Override
    public void truncate(long size) throws IOException {
        checkFileSize("ftruncate", size);
        guarded("ftruncate", size, -1, () -> {
            if (sideFd >= 0) {
                Libc.ftruncate(sideFd, size, path);
            } else if (size <= channel.size()) {
                channel.truncate(size);
            } else if (size > 0) {
                writeZeros(size - pageSize, pageSize);
            }
            return null;
        });
    }

    @Override
    public void close() throws IOException {
        if (beginClose()) {
            try {
                channel.close();
            } finally {
                if (sideFd >= 0) {
                    Libc.close(sideFd, path);
                }
            }
        }
    }
}
