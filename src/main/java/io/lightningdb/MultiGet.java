package io.lightningdb;

import io.lightningdb.btree.BTree;
import io.lightningdb.cache.BufferPool;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Database#multiGet}'s reads: every key is looked up without waiting for the file; the
 * pages the lookups missed are loaded together in one batch (all in flight at once with
 * io_uring), and the keys that missed are looked up again. In memory this costs nothing extra;
 * on disk, n keys wait for about one device round trip instead of n.
 */
final class MultiGet {
    /** Batch rounds before the remaining keys are read one by one (a cache smaller than the batch). */
    private static final int MAX_ROUNDS = 4;

    private MultiGet() {}

    /**
     * {@link #read}, again until no batch (or transaction commit) was applied while it ran:
     * {@code batchSeq} is odd while one is applied and moves on after.
     */
    static List<byte[]> consistent(BTree tree, BufferPool pool, List<byte[]> keys, AtomicLong batchSeq)
            throws IOException {
        while (true) {
            long seq = batchSeq.get();
            if ((seq & 1) != 0) {
                Thread.onSpinWait();
                continue;
            }
            List<byte[]> out = read(tree, pool, keys);
            if (batchSeq.get() == seq) {
                return out;
            }
        }
    }

    static List<byte[]> read(BTree tree, BufferPool pool, List<byte[]> keys) throws IOException {
        int n = keys.size();
        byte[][] out = new byte[n][];
        byte[][] value = new byte[1][];
        BTree.ValueTarget target = len -> {
            value[0] = new byte[(int) len];
            return MemorySegment.ofArray(value[0]);
        };
        int[] pending = new int[n];
        long[] missing = new long[n];
        int np = n;
        for (int i = 0; i < n; i++) {
            pending[i] = i;
        }
        for (int round = 0; np > 0; round++) {
            int nm = 0;
            for (int j = 0; j < np; j++) {
                int i = pending[j];
                long r = round < MAX_ROUNDS
                        ? tree.getIfResident(MemorySegment.ofArray(keys.get(i)), target)
                        : tree.get(MemorySegment.ofArray(keys.get(i)), target);
                if (r >= 0) {
                    out[i] = value[0];
                } else if (r < -1) {
                    pending[nm] = i;
                    missing[nm++] = BTree.missingPage(r);
                }
            }
            np = nm;
            if (np > 0 && round < MAX_ROUNDS && pool.prefetch(missing, np) == 0) {
                // Nothing loaded (others are loading those pages, or a read failed): the next round
                // reads the rest one by one, waiting or reporting the failure with its page.
                round = MAX_ROUNDS - 1;
            }
        }
        return new ArrayList<>(Arrays.asList(out));
    }
}
