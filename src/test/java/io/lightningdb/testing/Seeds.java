package io.lightningdb.testing;

import java.util.SplittableRandom;

/** Seeded randomness for tests: the seed is printed, and -Dlightning.seed=N replays it. */
public final class Seeds {
    private Seeds() {}

    /** A seed for one test: -Dlightning.seed when given, else fresh; printed either way. */
    public static long seed(String testName) {
        String fixed = System.getProperty("lightning.seed");
        long seed = fixed != null && !fixed.isBlank()
                ? Long.parseLong(fixed.trim())
                : System.nanoTime() ^ Thread.currentThread().threadId();
        System.out.println(testName + ": seed=" + seed + " (replay with -Dlightning.seed=" + seed + ")");
        return seed;
    }

    public static SplittableRandom random(String testName) {
        return new SplittableRandom(seed(testName));
    }
}
