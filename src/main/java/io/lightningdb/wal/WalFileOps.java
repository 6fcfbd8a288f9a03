package io.lightningdb.wal;

import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file operations whose failure the WAL must survive or report: a seam so tests can make a
 * write, an fdatasync or a segment preallocation fail. Production uses {@link #DEFAULT}: libc
 * pwrite/fdatasync where available, because a {@link FileChannel} is closed for good when a thread
 * is interrupted inside it, which would fail the whole log on an interrupt of any committer.
 */
interface WalFileOps {
    /** An open segment file (or, for {@link #force()} only, the log directory). */
    interface WalFile extends AutoCloseable {
        Path path();

        /** Writes all of {@code src} (off-heap) at {@code position}. */
        void write(MemorySegment src, long position) throws IOException;

        /** fdatasync of a file, fsync of a directory. */
        void force() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Opens an existing file for writing, or a directory for syncing its entries. */
    WalFile open(Path path, boolean directory) throws IOException;

    /**
     * Creates {@code file} (which must not exist) holding {@code size} zero bytes, written out and
     * synced: real zeroed blocks, so later fdatasyncs of appends change no extent state.
     */
    void preallocate(Path file, long size) throws IOException;

    WalFileOps DEFAULT = new WalFileOps() {
        private static final int ZERO_CHUNK = 1 << 20;

        @Override
        public WalFile open(Path path, boolean directory) throws IOException {
            return Libc.isAvailable() ? new LibcFile(path, directory) : new ChannelFile(path, directory);
        }

        @Override
        public void preallocate(Path file, long size) throws IOException {
            ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, size));
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long at = 0; at < size; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), size - at));
                    while (zeros.hasRemaining()) {
                        at += ch.write(zeros, at);
                    }
                }
                ch.force(false);
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
    };

    /** pwrite and fdatasync through libc: not interruptible. */
    final class LibcFile implements WalFile {
        private final Path path;
        private final boolean directory;
        private final int fd;

        LibcFile(Path path, boolean directory) throws IOException {
            this.path = path;
            this.directory = directory;
            this.fd = Libc.open(path, (directory ? Libc.O_RDONLY : Libc.O_RDWR) | Libc.O_CLOEXEC, 0);
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public void write(MemorySegment src, long position) throws IOException {
            Libc.pwriteFully(fd, src, position, path);
        }

        @Override
        public void force() throws IOException {
            if (directory) {
                Libc.fsync(fd, path);
            } else {
                Libc.fdatasync(fd, path);
            }
        }

        @Override
        public void close() throws IOException {
            Libc.close(fd, path);
        }
    }

    /** The portable fallback. */
    final class ChannelFile implements WalFile {
        private final Path path;
        private final FileChannel channel;

        ChannelFile(Path path, boolean directory) throws IOException {
            this.path = path;
            this.channel = directory ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }

        @Override
        public Path path() {
            return path;
        }

        @Override
        public void write(MemorySegment src, long position) throws IOException {
            ByteBuffer b = src.asByteBuffer();
            long at = position;
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
