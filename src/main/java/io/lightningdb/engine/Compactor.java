package io.lightningdb.engine;

import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.Relocation;
import java.io.IOException;

/**
 * {@code Database.compact}: gives the data file's unused tail back to the file system.
 *
 * <ol>
 *   <li>Free pages give their slots back ({@link PageFile#forgetFreeSlots}); two checkpoints make
 *       those, and the slots older images held, free.
 *   <li>The pages past the slots the data needs are made dirty ({@link Relocation}) and written by
 *       the next checkpoint's flush (or eviction) to the lowest free slots, copy-on-write like any
 *       write: readers and writers run on.
 *   <li>Two checkpoints: the newest image names only the new slots, and so does the one the other
 *       superblock copy names, so the old slots are free.
 *   <li>The file is cut after the highest slot in use, then one more checkpoint records the
 *       shorter file in the superblock.
 * </ol>
 *
 * A crash anywhere leaves the last durable checkpoint and the log, as any crash does: moving
 * pages is writing them, and the cut only removes slots no superblock copy's image uses.
 */
final class Compactor {
    /** Progress units after the moves: two checkpoints, then the cut with its checkpoint. */
    private static final int FINISH_UNITS = 3;

    private final PageFile file;
    private final Checkpointer checkpointer;

    Compactor(PageFile file, Checkpointer checkpointer) {
        this.file = file;
        this.checkpointer = checkpointer;
    }

    /** Hears how far a compaction (or a verify) has come. */
    @FunctionalInterface
    public interface Progress {
        void progress(long done, long total);
    }

    /** Runs a compaction; one at a time (a second caller waits for the first). */
    synchronized Compaction run(Progress progress) throws IOException {
        long start = System.nanoTime();
        long before = file.fileBytes();
        file.forgetFreeSlots();
        checkpointer.checkpoint();
        checkpointer.checkpoint();
        Relocation relocation = Relocation.plan(file);
        long pages = relocation.pages();
        long total = pages + FINISH_UNITS;
        progress.progress(0, total);
        long moved = relocation.move(done -> progress.progress(done, total));
        checkpointer.checkpoint();
        progress.progress(pages + 1, total);
        checkpointer.checkpoint();
        progress.progress(pages + 2, total);
        file.truncateFreeTail();
        checkpointer.checkpoint();
        // That checkpoint freed the table pages the one before replaced: cut them too if last.
        file.truncateFreeTail();
        long after = file.fileBytes();
        progress.progress(total, total);
        return new Compaction(before, after, moved, System.nanoTime() - start);
    }
}
