package io.lightningdb.cli.bench;

/**
 * YCSB's zipfian generator (Gray et al., "Quickly generating billion-record synthetic databases"):
 * rank 0 is the most popular of {@code items}, rank r is picked with probability proportional to
 * 1/(r+1)^theta. Immutable: threads share one and pass their own uniform random number.
 *
 * {@snippet :
 * Zipfian z = new Zipfian(100_000, Zipfian.YCSB_CONSTANT);
 * long rank = z.rank(random.nextDouble());   // 0 most often
 * }
 */
final class Zipfian {
    /** YCSB's zipfian constant. */
    static final double YCSB_CONSTANT = 0.99;
    /** Terms of the zeta sum added one by one; past this the tail is integrated, which is exact to ~1e-9. */
    private static final long EXACT_TERMS = 1_000_000;

    private final long items;
    private final double theta;
    private final double zetaN;
    private final double alpha;
    private final double eta;
    private final double halfPowTheta;

    Zipfian(long items, double theta) {
        if (items < 1) {
            throw new IllegalArgumentException("items: " + items + " must be at least 1");
        }
        this.items = items;
        this.theta = theta;
        this.zetaN = zeta(items, theta);
        this.alpha = 1.0 / (1.0 - theta);
        double zeta2 = zeta(2, theta);
        this.eta = (1 - Math.pow(2.0 / items, 1 - theta)) / (1 - zeta2 / zetaN);
        this.halfPowTheta = 1 + Math.pow(0.5, theta);
    }

    /** The rank for uniform {@code u} in [0, 1): 0 to items - 1. */
    long rank(double u) {
        double uz = u * zetaN;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < halfPowTheta) {
            return Math.min(1, items - 1);
        }
        long r = (long) (items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(r, items - 1);
    }

    /** YCSB's scrambled zipfian: the hot ranks hashed over [0, items), so hot keys are not neighbours. */
    long scrambled(double u) {
        return Long.remainderUnsigned(Keys.scramble(rank(u)), items);
    }

    /**
     * The sum of 1/i^theta for i = 1..n. YCSB adds every term; for very large n that costs seconds,
     * so past {@link #EXACT_TERMS} the remainder is the Euler-Maclaurin integral with its end correction.
     */
    static double zeta(long n, double theta) {
        long exact = Math.min(n, EXACT_TERMS);
        double sum = 0;
        for (long i = 1; i <= exact; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        if (n > exact) {
            double a = exact + 1;
            double integral = (Math.pow(n, 1 - theta) - Math.pow(a, 1 - theta)) / (1 - theta);
            sum += integral + (Math.pow(a, -theta) + Math.pow(n, -theta)) / 2;
        }
        return sum;
    }
}
