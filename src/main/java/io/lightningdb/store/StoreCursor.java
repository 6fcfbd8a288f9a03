package io.lightningdb.store;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A range cursor of an {@link OrderedStore}, ascending or descending. Entries come in runs (a
 * leaf, a block): {@link #nextBuffered()} steps within the run already copied out and touches no
 * shared memory, so the caller need not hold an epoch for it; {@link #next()} reads the next run
 * and must run inside one. Not thread-safe.
 */
public interface StoreCursor {
    /** Steps to the next entry of the run already read; false when the run is used up (not the end). */
    boolean nextBuffered();

    /** Steps to the next entry, reading the next run when needed; false at the range's end. */
    boolean next() throws IOException;

    /** The current entry's key, in a new array. */
    byte[] key();

    /** The current entry's value, in a new array. */
    byte[] value();

    /** The current key, read-only, valid until the next step. */
    MemorySegment keySegment();

    /** The current value, read-only, valid until the next step. */
    MemorySegment valueSegment();

    /** Gives back what the cursor holds; later steps are the caller's error. */
    void release();
}
