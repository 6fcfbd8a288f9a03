package io.lightningdb.jmh.kv;

import java.util.SplittableRandom;

/**
 * YCSB's ScrambledZipfianGenerator: a zipfian draw (constant 0.99) over a fixed universe of 10^10
 * items, hashed with FNV-1a 64 and folded onto {@code [0, items)}, so the hot keys are spread over
 * the key space instead of bunched at its start. Same constants as YCSB (its precomputed zeta of
 * the universe), so the skew matches published YCSB figures. Stateless apart from the caller's
 * random source: one generator serves every thread.
 */
public final class ScrambledZipfian {
    static final double THETA = 0.99;
    static final long UNIVERSE = 10_000_000_000L;
    /** zeta(10^10, 0.99), YCSB's ZipfianGenerator.ZETAN. */
    static final double ZETAN = 26.46902820178302;
    private static final long FNV_OFFSET_BASIS_64 = 0xCBF29CE484222325L;
    private static final long FNV_PRIME_64 = 1099511628211L;

    private final long items;
    private final double alpha = 1.0 / (1.0 - THETA);
    private final double eta;
    private final double secondThreshold = 1.0 + Math.pow(0.5, THETA);

    public ScrambledZipfian(long items) {
        if (items < 1) {
            throw new IllegalArgumentException("items must be >= 1, got " + items);
        }
        this.items = items;
        double zeta2 = 1.0 + Math.pow(0.5, THETA);
        this.eta = (1 - Math.pow(2.0 / UNIVERSE, 1 - THETA)) / (1 - zeta2 / ZETAN);
    }

    /** The next key number in {@code [0, items)}. */
    public long next(SplittableRandom random) {
        double u = random.nextDouble();
        double uz = u * ZETAN;
        long rank;
        if (uz < 1.0) {
            rank = 0;
        } else if (uz < secondThreshold) {
            rank = 1;
        } else {
            rank = (long) (UNIVERSE * Math.pow(eta * u - eta + 1, alpha));
        }
        return Math.floorMod(fnv1a64(rank), items); // floorMod: abs(Long.MIN_VALUE) stays negative
    }

    /** YCSB's Utils.fnvhash64: FNV-1a over the 8 bytes, low first, made non-negative. */
    static long fnv1a64(long value) {
        long hash = FNV_OFFSET_BASIS_64;
        for (int i = 0; i < 8; i++) {
            hash ^= value & 0xFF;
            hash *= FNV_PRIME_64;
            value >>>= 8;
        }
        return Math.abs(hash);
    }
}
