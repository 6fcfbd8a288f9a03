package io.lightningdb.cache;

import io.lightningdb.io.PageBatch;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * {@link BufferPool#prefetch}: claim every evicted page of the list (the state word's CAS from
 * EVICTED to LOCKED, as a single fault does), make room for them, read them in one
 * {@link PageBatch} (but those still in their lazily released frames, {@link LazyRelease}), check
 * each checksum, publish. Readers that meet a claimed page wait for it as
 * they wait for any load.
 */
final class BatchLoad {
    private BatchLoad() {}

    static int run(BufferPool pool, long[] pids, int n) throws IOException {
        long[] claimed = new long[n];
        long[] words = new long[n];
        boolean[] rescued = new boolean[n];
        int m = 0;
        int counted = 0;
        PageBatch batch = new PageBatch(Math.max(1, n));
        boolean done = false;
        try {
            for (int i = 0; i < n; i++) {
                long pid = pids[i];
                if (pid <= 0 || pid >= pool.maxPages()) {
                    continue;
                }
                long offset;
                try {
                    offset = pool.fileOffset(pid);
                } catch (CorruptPageException placeless) {
                    continue; // the reader's own load reports it
                }
                if (offset == BufferPool.NO_PLACE) {
                    continue; // a forgotten free page: the reader's own load zeroes it
                }
                long w = pool.word(pid);
                if (!pool.tryClaimEvicted(pid, w)) {
                    continue; // resident, being loaded, or listed twice
                }
                claimed[m] = pid;
                words[m++] = w;
                pool.countResident(pid);
                counted++;
                if (pool.rescue(pid)) {
                    rescued[m - 1] = true;
                } else {
                    batch.read(offset, pool.page(pid));
                }
            }
            try {
                if (batch.size() > 0) {
                    pool.io().execute(batch);
                }
            } catch (IOException readFailed) {
                // Each page is read again by its own reader, which reports the failure with its page.
                return 0;
            }
            int loaded = 0;
            for (int i = 0; i < m; i++) {
                MemorySegment p = pool.page(claimed[i]);
                if (rescued[i] || PageFrames.storedCrc(p) == PageFrames.computeCrc(p)) {
                    pool.loaded(claimed[i], words[i]);
                    loaded++;
                } else {
                    pool.abandon(claimed[i], words[i], true);
                }
                claimed[i] = 0;
            }
            done = true;
            return loaded;
        } finally {
            if (!done) {
                for (int i = 0; i < m; i++) {
                    if (claimed[i] != 0) {
                        pool.abandon(claimed[i], words[i], i < counted);
                    }
                }
            }
        }
    }
}
