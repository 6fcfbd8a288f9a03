package io.lightningdb;

import io.lightningdb.btree.TreeCursor;
import java.lang.foreign.MemorySegment;

/**
 * Iterates a key range in order (or reverse order). Holds no lock and no resource between calls:
 * a cursor left open blocks nobody and costs only its buffered entries; {@link #close()} drops
 * them. Concurrent writes may or may not be seen; each entry returned was in the database at the
 * moment its leaf page was read.
 *
 * <pre>{@code
 * try (Cursor c = db.scan(from, to)) {
 *     while (c.next()) {
 *         process(c.key(), c.value());
 *     }
 * }
 * }</pre>
 */
public final class Cursor implements AutoCloseable {
    private final Database db;
    private final TreeCursor inner;
    private boolean closed;

    Cursor(Database db, TreeCursor inner) {
        this.db = db;
        this.inner = inner;
    }

    /** Advances to the next entry; false at the end of the range. */
    public boolean next() {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
        db.checkOpen();
        // Entries of the leaf read last are already copied out: no epoch, no page access.
        return inner.nextBuffered() || db.advance(inner);
    }

    /** The current entry's key (a copy the caller owns). */
    public byte[] key() {
        checkNotClosed();
        return inner.key();
    }

    /** The current entry's value (a copy the caller owns). */
    public byte[] value() {
        checkNotClosed();
        return inner.value();
    }

    /**
     * Zero-copy form of {@link #key()}: a view of the cursor's buffer, valid until the next call to
     * {@link #next()} or {@link #close()} (copy it to keep it). Writing to it changes nothing in the database.
     *
     * <pre>{@code
     * try (Cursor c = db.scan(from, to)) {
     *     while (c.next()) {
     *         sum += c.valueSegment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
     *     }
     * }
     * }</pre>
     */
    public MemorySegment keySegment() {
        checkNotClosed();
        return inner.keySegment();
    }

    /** Zero-copy form of {@link #value()}; the same rules as {@link #keySegment()}. */
    public MemorySegment valueSegment() {
        checkNotClosed();
        return inner.valueSegment();
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
    }

    /** Drops the buffered entries (their buffer serves this thread's next cursor); later calls throw. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inner.release();
        }
    }

}
