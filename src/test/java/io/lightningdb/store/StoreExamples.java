package io.lightningdb.store;

import java.io.IOException;
import java.util.function.LongSupplier;

/** The examples in the store's Javadoc, regions of compiled code. */
final class StoreExamples {
    private StoreExamples() {}

    /** The engine's writer gate: {@code stopAll} waits for the writers inside and keeps new ones out. */
    interface Writers {
        void stopAll();

        void resumeAll();
    }

    static void checkpoint(OrderedStore store, Writers writers, LongSupplier logEnd, OrderedStore.IoAction syncLog)
            throws IOException {
        // @start region="checkpoint"
        store.writeBack();                            // writers run: most of the I/O
        OrderedStore.Checkpoint image;
        writers.stopAll();                            // the writer gate, entered alone
        try {
            image = store.capture(logEnd.getAsLong()); // writers stopped: no I/O here
        } finally {
            writers.resumeAll();
        }
        store.persist(image, syncLog);                // writers run; the log is synced before the image is durable
        // @end
    }
}
