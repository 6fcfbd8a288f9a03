package io.lightningdb.btree;

import java.lang.foreign.MemorySegment;

/**
 * Binary search without data-dependent branches: each step picks the next base with a conditional
 * move, so random probes cost no branch mispredictions, only one dependent load per halving.
 * The fallback when the Vector API is absent or disabled, and the reference the vector search is
 * tested against.
 */
final class ScalarKeySearch implements KeySearch {
    static final ScalarKeySearch INSTANCE = new ScalarKeySearch();

    private ScalarKeySearch() {}

    @Override
    public int lowerBound(MemorySegment page, long headsOffset, int count, long probe) {
        return lowerBound(page, headsOffset, 0, KeyHeads.fit(page, headsOffset, count), probe);
    }

    /**
     * lowerBound over heads {@code [base, base + n)}, all inside the page, given that every head
     * before {@code base} is below the probe. Invariant: the answer is in {@code [base, base + n]}.
     * Halving keeps the upper part's first element in range ({@code n - half >= half}), so the
     * loop needs no comparison against the bounds and always does ceil(log2 n) steps.
     */
    static int lowerBound(MemorySegment page, long headsOffset, int base, int n, long probe) {
        if (n <= 0) {
            return base;
        }
        while (n > 1) {
            int half = n >>> 1;
            base = head(page, headsOffset, base + half) < probe ? base + half : base;
            n -= half;
        }
        return base + (head(page, headsOffset, base) < probe ? 1 : 0);
    }

    static long head(MemorySegment page, long headsOffset, int index) {
        return page.get(KeyHeads.LAYOUT, headsOffset + (long) index * KeyHeads.BYTES);
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public String toString() {
        return name();
    }
}
