package io.lightningdb.cache;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.lightningdb.io.PageIO;
import io.lightningdb.nativeio.LibNuma;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Map;

/** The examples in the buffer pool's Javadoc, regions of compiled code (CacheExamplesTest runs most). */
final class CacheExamples {
    private CacheExamples() {}

    static boolean latches(PageIO pageIO) throws IOException {
        // @start region="latches"
        try (BufferPool pool = new BufferPool(pageIO, 4096, 1 << 20, 64L << 20, CacheConfig.defaults())) {
            pool.lockNew(7);                       // a fresh page, zeroed, exclusively locked
            pool.page(7).set(JAVA_LONG, 8, 42L);
            pool.unlock(7);
            long w = pool.readLatch(7);
            long v = pool.page(7).get(JAVA_LONG, 8);
            boolean ok = pool.validate(7, w);      // false if a writer intervened: retry
            // @end
            return ok && v == 42L;
        }
    }

    static CacheConfig config(PageIO io, long maxPages) throws IOException {
        // @start region="config"
        CacheConfig c = new CacheConfig(PolicyKind.ARC, true, true, 1000, 0.3);
        BufferPool pool = new BufferPool(io, 4096, maxPages, 64L << 20, c);
        // @end
        pool.close();
        return c;
    }

    static FramePlacement.Applied placement(MemorySegment reservation) throws IOException {
        // @start region="placement"
        FramePlacement p = new FramePlacement(FramePlacement.Mode.INTERLEAVE, new BitSet());  // every node
        FramePlacement.Applied a = p.apply(reservation, LibNuma.system());
        System.out.println(a.detail());   // "NUMA_INTERLEAVE over node(s) 0: mbind(MPOL_INTERLEAVE) ..."
        // @end
        return a;
    }

    static long pageTable(Path path, long pid) throws IOException {
        // @start region="pageTable"
        PageTable t = new PageTable(path, 1 << 20, 2 << 20, 510);
        int[] got = new int[1];
        long slot = t.allocate(1, got);   // a fresh slot for one page
        // ...write the page there...
        t.moved(pid, slot);               // the old slot waits for the next durable checkpoint
        // @end
        t.close();
        return slot;
    }

    static Map<Long, Long> capture(BufferPool pool, long generation, BitSet free) throws IOException {
        // @start region="capture"
        long[] pids = pool.capture(generation, free);   // writers stopped: marks the dirty pages
        // ...writers run; pool.lock(pid) copies a marked page aside before it changes...
        Map<Long, Long> slots = pool.writeCaptured();   // pid -> slot of its image copy
        // @end
        assert slots.size() == pids.length;
        return slots;
    }

    static void scratch(ScratchPages scratch, MemorySegment page) {
        // @start region="scratch"
        MemorySegment copy = scratch.acquire(1);   // one page
        copy.copyFrom(page);
        scratch.release(copy);                      // kept for the next acquire(1), or unmapped
        // @end
    }
}
