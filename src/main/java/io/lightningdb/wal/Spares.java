package io.lightningdb.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one spare segment file the log keeps at most: a retired segment recycled, or a zero-filled
 * file preallocated in the background, so starting a segment is usually a rename and a header
 * write. One, not more, because every spare is disk the database holds for nothing; and a
 * recycled file is preferred (no zeros to write) by preparing a new one only once the current
 * segment is half full, by when a checkpoint has usually retired an old one. Callers hold the
 * WAL's lock; the background thread touches only its own file and future. Close deletes the spare.
 */
final class Spares implements AutoCloseable {
    /** A spare file and its size. */
    record Spare(Path path, long size) {}

    private final Path dir;
    private final WalFileOps ops;
    private final ExecutorService background;
    private final AtomicLong names = new AtomicLong();
    private Spare recycled;
    private Future<Spare> preallocating;
    /** The size of the file {@link #preallocating} makes. */
    private long preallocatingSize;
    private long created;
    private long recycledCount;

    Spares(Path dir, WalFileOps ops, ThreadFactory threads) {
        this.dir = dir;
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
     * A file of at least {@code size} bytes to become segment {@code target}: the kept spare if it
     * is large enough (a smaller one is deleted), else one preallocated now. Throws, naming
     * {@code target}, when none can be made.
     */
    Spare take(Path target, long size) throws IOException {
        Spare s = recycled;
        recycled = null;
        if (s == null && preallocating != null) {
            Future<Spare> f = preallocating;
            preallocating = null;
            try {
                s = f.get();
                created++;
            } catch (ExecutionException | CancellationException e) {
                // the background attempt failed (no space then, perhaps); try again now and report that
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for WAL segment " + target);
            }
        }
        if (s != null) {
            if (s.size() >= size) {
                return s;
            }
            Files.deleteIfExists(s.path());
        }
        Path file = freshName();
        try {
            ops.preallocate(file, size);
        } catch (IOException e) {
            throw new IOException("cannot create WAL segment " + target + ": no space? preallocating "
                    + size + " bytes as " + file.getFileName() + " failed: " + e.getMessage(), e);
        }
        created++;
        return new Spare(file, size);
    }

    /** Starts preallocating a spare of {@code size} bytes in the background unless one is kept or under way. */
    void prepareAhead(long size) {
        if (recycled != null || preallocating != null || background.isShutdown()) {
            return;
        }
        preallocatingSize = size;
        preallocating = background.submit(() -> {
            Path file = freshName();
            ops.preallocate(file, size);
            return new Spare(file, size);
        });
    }

    /**
     * Keeps a retired segment of {@code size} bytes as the spare (renamed) if none is kept or under
     * way and it is at least {@code wanted} bytes, the size the next segment will ask for; deletes it
     * otherwise.
     */
    void recycle(Path segment, long size, long wanted) throws IOException {
        if (recycled == null && preallocating == null && size >= wanted && Files.size(segment) == size) {
            Path spare = freshName();
            Files.move(segment, spare, StandardCopyOption.ATOMIC_MOVE);
            recycled = new Spare(spare, size);
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

    /** Disk the spare takes (or will once its preallocation finishes). */
    long diskBytes() {
        return recycled != null ? recycled.size() : preallocating != null ? preallocatingSize : 0;
    }

    /** A new name of the spares' pattern: a file left under it by a crash is deleted at the next open. */
    Path freshName() {
        return dir.resolve(WalFormat.SPARE_PREFIX + names.incrementAndGet() + WalFormat.SPARE_SUFFIX);
    }

    /** Stops the background thread and deletes the spare: a closed log holds no disk it does not need. */
    @Override
    public void close() throws IOException {
        background.shutdownNow();
        try {
            background.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (recycled != null) {
            Files.deleteIfExists(recycled.path());
            recycled = null;
        }
        // A preallocation cut short deleted its own file (WalFileOps.preallocate); a finished one is ours.
        if (preallocating != null && preallocating.isDone() && !preallocating.isCancelled()) {
            try {
                Files.deleteIfExists(preallocating.get().path());
            } catch (ExecutionException | InterruptedException e) {
                // nothing was made, or we are interrupted: the next open deletes leftovers anyway
            }
        }
        preallocating = null;
    }
}
