package io.lightningdb.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spare segment files: at most one recycled old segment and one zero-filled file preallocated in
 * the background, so starting a segment is usually a rename and a header write. Callers hold the
 * WAL's lock; the background thread touches only its own file and future.
 */
final class Spares implements AutoCloseable {
    private final Path dir;
    private final long segmentSize;
    private final WalFileOps ops;
    private final ExecutorService background;
    private final AtomicLong names = new AtomicLong();
    private Path recycled;
    private Future<Path> preallocating;
    private long created;
    private long recycledCount;

    Spares(Path dir, long segmentSize, WalFileOps ops, ThreadFactory threads) {
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.ops = ops;
        this.background = Executors.newSingleThreadExecutor(r -> Wal.named(threads, "lightning-wal-prealloc", r));
    }

    /** Deletes spare files a previous run left (their state after a crash is unknown, and they are cheap to redo). */
    static void deleteLeftovers(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(f -> WalFormat.isSpareName(f.getFileName().toString())).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A file of {@code segmentSize} bytes to become segment {@code target}: the recycled one, the
     * background one, or one preallocated now. Throws, naming {@code target}, when none can be made.
     */
    Path take(Path target) throws IOException {
        if (recycled != null) {
            Path p = recycled;
            recycled = null;
            return p;
        }
        if (preallocating != null) {
            Future<Path> f = preallocating;
            preallocating = null;
            try {
                Path p = f.get();
                created++;
                return p;
            } catch (ExecutionException e) {
                // the background attempt failed (no space then, perhaps); try again now and report that
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for WAL segment " + target);
            }
        }
        Path file = nextName();
        try {
            ops.preallocate(file, segmentSize);
        } catch (IOException e) {
            throw new IOException("cannot create WAL segment " + target + ": no space? preallocating "
                    + segmentSize + " bytes as " + file.getFileName() + " failed: " + e.getMessage(), e);
        }
        created++;
        return file;
    }

    /** Starts preallocating the next spare in the background unless one is ready or under way. */
    void prepareAhead() {
        if (recycled != null || preallocating != null || background.isShutdown()) {
            return;
        }
        preallocating = background.submit(() -> {
            Path file = nextName();
            ops.preallocate(file, segmentSize);
            return file;
        });
    }

    /** Keeps a segment no longer needed as the next spare (renamed), or deletes it if one is kept already. */
    void recycle(Path segment) throws IOException {
        if (recycled == null && Files.size(segment) == segmentSize) {
            Path spare = nextName();
            Files.move(segment, spare, StandardCopyOption.ATOMIC_MOVE);
            recycled = spare;
            recycledCount++;
        } else {
            Files.delete(segment);
        }
    }

    long created() {
        return created;
    }

    long recycled() {
        return recycledCount;
    }

    private Path nextName() {
        return dir.resolve(WalFormat.SPARE_PREFIX + names.incrementAndGet() + WalFormat.SPARE_SUFFIX);
    }

    @Override
    public void close() {
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
