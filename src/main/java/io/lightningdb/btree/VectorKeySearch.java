package io.lightningdb.btree;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * lowerBound with the Vector API: branch-free binary search narrows the heads to a window of a
 * few vectors, then one compare per vector counts the heads below the probe in the window.
 * Loaded only through {@link KeySearch#select(boolean)} after it has seen the module.
 */
final class VectorKeySearch implements KeySearch {
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Below 2 lanes a "vector" compare is a scalar compare with overhead. */
    private static final int MIN_LANES = 2;
    /** Heads are written with {@link KeyHeads#LAYOUT}, i.e. in native order. */
    private static final ByteOrder HEAD_ORDER = ByteOrder.nativeOrder();
    /**
     * Vectors compared after the binary search. 2 (16 heads at 512 bits) measured fastest for 16
     * to 1024 heads, a few percent ahead of 1 (one more dependent binary step); 4 lost 20-50%
     * (more compares than the binary steps they replace), and so did scanning all heads from 64 up.
     */
    static final int WINDOW_VECTORS = 2;
    /** Heads the final compare looks at. */
    static final int WINDOW = WINDOW_VECTORS * LANES;
    private static final VectorKeySearch INSTANCE = new VectorKeySearch();

    private VectorKeySearch() {}

    /** The vector search, or null when the preferred species is too narrow to pay. */
    static KeySearch createOrNull() {
        return LANES >= MIN_LANES ? INSTANCE : null;
    }

    @Override
    public int lowerBound(MemorySegment page, long headsOffset, int count, long probe) {
        int n = KeyHeads.fit(page, headsOffset, count);
        if (!page.isNative()) {
            // fromMemorySegment refuses heap segments not backed by byte[]; pages are off-heap anyway.
            return ScalarKeySearch.lowerBound(page, headsOffset, 0, n, probe);
        }
        if (n < WINDOW) {
            return countBelow(page, headsOffset, n, probe);
        }
        int base = 0;
        int len = n;
        while (len > WINDOW) {
            int half = len >>> 1;
            base = ScalarKeySearch.head(page, headsOffset, base + half) < probe ? base + half : base;
            len -= half;
        }
        // The answer is in [base, base + len], len <= WINDOW. Sliding the window left to stay in
        // the page only adds heads before base, all below the probe, so start + below is exact.
        int start = Math.min(base, n - WINDOW);
        long off = headsOffset + (long) start * KeyHeads.BYTES;
        int below = 0;
        for (int k = 0; k < WINDOW_VECTORS; k++) {
            below += load(page, off + (long) k * SPECIES.vectorByteSize()).compare(VectorOperators.LT, probe).trueCount();
        }
        return start + below;
    }

    /** Heads below the probe among the first n: the lowerBound when they are sorted. */
    private static int countBelow(MemorySegment page, long headsOffset, int n, long probe) {
        int below = 0;
        int i = 0;
        for (; i <= n - LANES; i += LANES) {
            below += load(page, headsOffset + (long) i * KeyHeads.BYTES).compare(VectorOperators.LT, probe).trueCount();
        }
        if (i < n) {
            VectorMask<Long> tail = SPECIES.indexInRange(i, n);
            LongVector v = LongVector.fromMemorySegment(SPECIES, page, headsOffset + (long) i * KeyHeads.BYTES, HEAD_ORDER, tail);
            below += v.compare(VectorOperators.LT, probe, tail).trueCount();
        }
        return below;
    }

    private static LongVector load(MemorySegment page, long off) {
        return LongVector.fromMemorySegment(SPECIES, page, off, HEAD_ORDER);
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }

    @Override
    public String toString() {
        return name();
    }
}
