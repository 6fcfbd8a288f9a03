package io.lightningdb.store;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * An ordered map of byte strings (compared as unsigned bytes) that the engine logs writes into.
 *
 * <p>The engine's contract with an implementation: reads may run in any number of threads at once
 * and at any time, inside an epoch; writes ({@link #put}, {@link #delete}, {@link #applySorted})
 * may too, but never two of the same key at once, and each comes after its log record was
 * appended, in the log's order for any one key, so replaying the log from a checkpoint's position
 * reproduces the store. A checkpoint makes the store durable as of a log position in three
 * steps, so writers stall only for the middle one, for which the engine enters its writer gate
 * alone (every writer inside has applied what it logged, and none enters until the capture is
 * taken):
 *
 * {@snippet class=io.lightningdb.store.StoreExamples region="checkpoint"}
 *
 * <p>An implementation keeps its own file format and its own background work (an LSM tree's
 * flushes and compactions), takes its memory from the buffer pool's budget, and reports its
 * problems as {@link IOException}s (corruption included) for the engine to surface.
 */
public interface OrderedStore {
    /**
     * Looks {@code key} up; when found asks {@code target} for room and copies the value there.
     * Returns the value's length, or -1 when the key is absent.
     */
    long get(MemorySegment key, ValueTarget target) throws IOException;

    /**
     * The values of {@code keys} (null where absent), in order. Implementations read what the
     * keys miss in memory together, all in flight at once, rather than one by one.
     */
    byte[][] getAll(List<byte[]> keys) throws IOException;

    /** Entries with {@code from <= key < to} (null: open), ascending or descending; the arrays become the cursor's. */
    StoreCursor cursor(byte[] from, byte[] to, boolean reverse);

    /**
     * Up to {@code parts - 1} keys strictly inside {@code (from, to)} (null: open), ascending, that
     * cut the range into parts of about equal size for a parallel scan; fewer (none) when the store
     * is small. Hints only: any keys inside the range cut it correctly.
     */
    List<byte[]> splitPoints(byte[] from, byte[] to, int parts) throws IOException;

    /**
     * The workers that may load pages ahead of scans, and how many pages a scan keeps requested
     * ahead of it ({@code prefetchDistance}); null workers or 0 for none. Live.
     */
    void prefetchWith(Executor workers, int distance);

    /** Changes the prefetch distance of later scan steps, the workers kept (0 turns prefetch off). */
    void prefetchDistance(int distance);

    /** Inserts or replaces {@code key}; returns whether the key was new. */
    boolean put(MemorySegment key, MemorySegment value) throws IOException;

    /** Removes {@code key}; returns whether it was there. */
    boolean delete(MemorySegment key) throws IOException;

    /**
     * Applies {@code keys[from..]} (strictly ascending as unsigned bytes; a null value deletes) for
     * as many keys as the store takes together cheaply (a B-tree: those that share the leaf of
     * {@code keys[from]}), at least that one, and returns the index after the last key applied.
     * With {@code before} not null, each applied key's previous value (null when it was absent)
     * goes to {@code before[i]}, so the caller can undo. A call that throws an
     * {@link IOException} changed nothing.
     */
    int applySorted(List<byte[]> keys, List<byte[]> values, int from, byte[][] before) throws IOException;

    /** A checkpoint's first step, while writers run: writes back what it can so the capture is small. */
    void writeBack() throws IOException;

    /** A checkpoint's second step, with writers stopped: the state as of {@code logPosition}. No I/O. */
    Checkpoint capture(long logPosition);

    /**
     * A checkpoint's last step, while writers run: makes {@code image} durable; {@code syncLog}
     * runs before the image becomes the one recovery starts from, so the log holds every write
     * the image has.
     */
    void persist(Checkpoint image, IoAction syncLog) throws IOException;

    /** Keys in the store (exact when no writer is active). */
    long keyCount();

    /** Key and value bytes of the store's entries (exact when no writer is active). */
    long liveBytes();

    /** Levels a lookup descends (tree height; for an LSM tree, its levels). */
    int height();

    /** How lookups search within a node or block, for stats (e.g. {@code "avx512"}). */
    String searchName();

    /** Problems with the store's invariants (empty when sound); {@code visited} hears the pages read so far. */
    List<String> verify(LongConsumer visited) throws IOException;

    /** The state a checkpoint captured; only the store that captured it reads it. */
    interface Checkpoint {}

    /** A step that may fail with an I/O error. */
    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }
}
