package io.lightningdb.pagefile;

import io.lightningdb.cache.PageTable;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Compaction's work on the file: which pages sit past the slots the data needs, and moving them
 * down. A page moves the way every write moves it (never over a copy an image may need): it is
 * made dirty ({@link io.lightningdb.cache.BufferPool#rewrite}), and its next write-back takes the
 * lowest free slot ({@link PageTable#allocate} always does). Table chunks past the boundary are
 * marked changed, so the next checkpoint writes them low too. The caller then checkpoints twice
 * (so neither superblock copy's image names an old slot) and {@link PageFile#truncateFreeTail
 * truncates}; see docs/file-format.md, "Compaction".
 *
 * {@snippet class=io.lightningdb.pagefile.PageFileExamples region="relocate"}
 */
public final class Relocation {
    /** Slots beyond the ones in use kept below the boundary for writers running meanwhile. */
    private static final long SLACK_SLOTS = 64;
    /** Moves between two progress reports. */
    private static final int REPORT_EVERY = 64;

    private final PageFile file;
    private final long boundary;
    private final long[] pids;

    private Relocation(PageFile file, long boundary, long[] pids) {
        this.file = file;
        this.boundary = boundary;
        this.pids = pids;
    }

    /**
     * The pages to move: those in slots at or above the boundary, which is the slots in use now
     * plus room for the table pages the next two checkpoints write (the older ones are still held
     * meanwhile) plus some slack. Below the boundary there are then at least as many free slots as
     * pages to move, and every write takes the lowest free slot, so they all land below it.
     */
    public static Relocation plan(PageFile file) {
        PageTable table = file.table();
        long boundary = table.usedSlots() + 2 * (file.store().pages() + 1) + SLACK_SLOTS;
        long count = file.pageCount();
        long[] found = new long[64];
        int n = 0;
        for (long pid = 1; pid < count; pid++) {
            if (table.slot(pid) >= boundary) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, n * 2);
                }
                found[n++] = pid;
            }
        }
        return new Relocation(file, boundary, Arrays.copyOf(found, n));
    }

    /** Pages found past the boundary. */
    public long pages() {
        return pids.length;
    }

    /**
     * Makes every page past the boundary dirty (and the table chunks there changed), reporting the
     * pages done so far to {@code progress} now and then and at the end. A page a writer moved
     * meanwhile is skipped. Returns the pages and chunks moved.
     */
    public long move(LongConsumer progress) throws IOException {
        long moved = file.store().relocateChunksFrom(boundary);
        for (int i = 0; i < pids.length; i++) {
            if (file.table().slot(pids[i]) >= boundary) {
                file.pool().rewrite(pids[i]);
                moved++;
            }
            if ((i + 1) % REPORT_EVERY == 0) {
                progress.accept(i + 1);
            }
        }
        progress.accept(pids.length);
        return moved;
    }
}
