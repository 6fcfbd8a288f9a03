package io.lightningdb.engine;

import io.lightningdb.store.OrderedStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code Database.multiGet}: the store's batched reads ({@link OrderedStore#getAll}), as of one
 * moment with respect to batches, which the write path brackets with {@link #batchStarted} and
 * {@link #batchFinished} (several may be applied at once).
 */
final class MultiGet {
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong finished = new AtomicLong();

    void batchStarted() {
        started.incrementAndGet();
    }

    void batchFinished() {
        finished.incrementAndGet();
    }

    /**
     * The values of {@code keys}, read again until no batch (or transaction commit) was being
     * applied while they were read: when {@code finished} has caught up with {@code started} no
     * batch counted so far is in flight, and {@code started} unmoved after the read means none began
     * during it.
     */
    List<byte[]> consistent(OrderedStore store, List<byte[]> keys) throws IOException {
        for (int spins = 0; ; spins++) {
            long s = started.get();
            if (finished.get() != s) {
                if (spins < 1000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
                continue;
            }
            byte[][] out = store.getAll(keys);
            if (started.get() == s) {
                return new ArrayList<>(Arrays.asList(out));
            }
        }
    }
}
