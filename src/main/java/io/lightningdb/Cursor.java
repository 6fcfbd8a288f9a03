package io.lightningdb;

import io.lightningdb.store.StoreCursor;
import io.lightningdb.txn.SnapshotScan;
import java.lang.foreign.MemorySegment;

/**
 * Iterates a key range in order (or reverse order). Holds no lock and no resource between calls:
 * a cursor left open blocks nobody and costs only its buffered entries; {@link #close()} drops
 * them. Concurrent writes may or may not be seen; each entry returned was in the database at the
 * moment its leaf page was read.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="scan"}
 */
public final class Cursor implements AutoCloseable {
    private final Database db;
    private final StoreCursor inner;
    /** A transaction's cursor: its view (snapshot and own writes) over {@code inner}; null for a plain scan. */
    private final Transaction tx;
    private final SnapshotScan view;
    private boolean closed;

    Cursor(Database db, StoreCursor inner) {
        this(db, null, null, inner);
    }

    Cursor(Database db, Transaction tx, SnapshotScan view, StoreCursor inner) {
        this.db = db;
        this.tx = tx;
        this.view = view;
        this.inner = inner;
    }

    /** Advances to the next entry; false at the end of the range. */
    public boolean next() {
        if (closed) {
            throw new IllegalStateException("cursor is closed");
        }
        db.checkOpen();
        if (view != null) {
            tx.checkActive();
            boolean more = view.next();
            tx.checkActive(); // the versions this step needed may have gone with an aborted snapshot
            return more;
        }
        // Entries of the leaf read last are already copied out: no epoch, no page access.
        return inner.nextBuffered() || db.advance(inner);
    }

    /** The current entry's key (a copy the caller owns). */
    public byte[] key() {
        checkNotClosed();
        return view != null ? view.key().clone() : inner.key();
    }

    /** The current entry's value (a copy the caller owns). */
    public byte[] value() {
        checkNotClosed();
        return view != null ? view.value().clone() : inner.value();
    }

    /**
     * Zero-copy form of {@link #key()}: a view of the cursor's buffer, valid until the next call to
     * {@link #next()} or {@link #close()} (copy it to keep it). Writing to it changes nothing in the database.
     *
     * {@snippet class=io.lightningdb.examples.DatabaseExamples region="segments"}
     */
    public MemorySegment keySegment() {
        checkNotClosed();
        return view != null ? MemorySegment.ofArray(view.key()).asReadOnly() : inner.keySegment();
    }

    /** Zero-copy form of {@link #value()}; the same rules as {@link #keySegment()}. */
    public MemorySegment valueSegment() {
        checkNotClosed();
        return view != null ? MemorySegment.ofArray(view.value()).asReadOnly() : inner.valueSegment();
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
