package io.lightningdb.memory;

import java.lang.foreign.MemorySegment;
import java.util.BitSet;

/**
 * One mapping of an {@link OffHeapArena} divided into 4096-byte pages, a bit per page in use.
 * Not thread-safe: the arena's lock guards it.
 */
final class Slab {
    final MemorySegment mapping;
    /** The NUMA node the mapping is bound to, or -1. */
    final int node;
    private final int pages;
    private final BitSet used;
    private int usedPages;

    Slab(MemorySegment mapping, int node) {
        this.mapping = mapping;
        this.node = node;
        this.pages = (int) (mapping.byteSize() / OffHeapArena.ALIGNMENT);
        this.used = new BitSet(pages);
    }

    /** First page of a free run of {@code n} pages (first fit), or -1. */
    int findRun(int n) {
        if (pages - usedPages < n) {
            return -1;
        }
        int from = 0;
        while (true) {
            int start = used.nextClearBit(from);
            if (start + n > pages) {
                return -1;
            }
            int end = used.nextSetBit(start);
            if (end < 0 || end - start >= n) {
                return start;
            }
            from = end;
        }
    }

    void take(int first, int n) {
        used.set(first, first + n);
        usedPages += n;
    }

    void release(int first, int n) {
        used.clear(first, first + n);
        usedPages -= n;
    }

    boolean isEmpty() {
        return usedPages == 0;
    }
}
