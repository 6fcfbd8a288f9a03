package io.lightningdb.btree;

import io.lightningdb.store.ValueTarget;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * {@link BTree#getAll}: every key is looked up without waiting for the file; the pages the
 * lookups missed are loaded together in one batch (all in flight at once with io_uring), and the
 * keys that missed are looked up again. In memory this costs nothing extra; on disk, n keys wait
 * for about one device round trip instead of n.
 */
final class BatchedGets {
    /** Batch rounds before the remaining keys are read one by one (a cache smaller than the batch). */
    private static final int MAX_ROUNDS = 4;

    private BatchedGets() {}

    static byte[][] read(BTree tree, List<byte[]> keys) throws IOException {
        int n = keys.size();
        byte[][] out = new byte[n][];
        byte[][] value = new byte[1][];
        ValueTarget target = len -> {
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
            if (np > 0 && round < MAX_ROUNDS && tree.pool.prefetch(missing, np) == 0) {
                // Nothing loaded (others are loading those pages, or a read failed): the next round
                // reads the rest one by one, waiting or reporting the failure with its page.
                round = MAX_ROUNDS - 1;
            }
        }
        return out;
    }
}
