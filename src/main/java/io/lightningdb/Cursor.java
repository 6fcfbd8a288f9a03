package io.lightningdb;

import io.lightningdb.btree.TreeCursor;

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
        return db.advance(inner);
    }

    /** The current entry's key (a copy the caller owns). */
    public byte[] key() {
        return inner.key();
    }

    /** The current entry's value (a copy the caller owns). */
    public byte[] value() {
        return inner.value();
    }

    @Override
    public void close() {
        closed = true;
    }

}
