package io.lightningdb.pagefile;

import io.lightningdb.io.IoConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/** The examples in the page file's Javadoc, regions of compiled code (PageFileExamplesTest runs them). */
final class PageFileExamples {
    private PageFileExamples() {}

    /** A checkpoint of the database the file belongs to (the engine's Checkpointer). */
    @FunctionalInterface
    interface Checkpoint {
        void run() throws IOException;
    }

    static long create(Path path) throws IOException {
        // @start region="create"
        try (PageFile f = PageFile.create(path, 4096, 1024, IoConfig.defaults(), 1L << 20, 64L << 20)) {
            long pid = f.allocate();           // exclusively locked, zeroed
            f.pool().unlock(pid);
            f.persist(f.capture(pid, 1, 0, 0, 0));
            // @end
            return pid;
        }
    }

    static int epochs(Epochs epochs) {
        int reads = 0;
        // @start region="epochs"
        Epochs.Slot slot = epochs.enter();
        try {
            reads++;                            // optimistic reads: no page they see is freed meanwhile
        } finally {
            epochs.exit(slot);
        }
        // @end
        return reads;
    }

    static long relocate(PageFile file, Checkpoint checkpoint, LongConsumer report) throws IOException {
        // @start region="relocate"
        file.forgetFreeSlots();
        checkpoint.run();
        checkpoint.run();                       // the slots the older images held are free now
        Relocation r = Relocation.plan(file);
        long moved = r.move(report);            // report: pages moved so far, of r.pages()
        checkpoint.run();
        checkpoint.run();                       // the slots the pages left are free now
        long bytes = file.truncateFreeTail();
        // @end
        return moved + bytes;
    }
}
