package io.lightningdb.engine;

import io.lightningdb.store.OrderedStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code Database.multiGet}: the store's batched reads ({@link OrderedStore#getAll}), as of one
 * moment with respect to batches, which the write path brackets with {@code batchSeq}.
 */
final class MultiGet {
    private MultiGet() {}

    /**
     * The values of {@code keys}, read again until no batch (or transaction commit) was applied
     * while they were read: {@code batchSeq} is odd while one is applied and moves on after.
     */
    static List<byte[]> consistent(OrderedStore store, List<byte[]> keys, AtomicLong batchSeq) throws IOException {
        while (true) {
            long seq = batchSeq.get();
            if ((seq & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            byte[][] out = store.getAll(keys);
            if (batchSeq.get() == seq) {
                return new ArrayList<>(Arrays.asList(out));
            }
        }
    }
}
