package io.lightningdb.testing;

import java.util.SplittableRandom;

/** Seeded randomness for tests: the seed is printed, and -Dlightning.seed=N replays it. */
public final class Seeds {
    private Seeds() {}

    public static SplittableRandom random(String testName) {
        String fixed = System.getProperty("lightning.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime() ^ Thread.currentThread().threadId();
        System.out.println(testName + ": seed=" + seed + " (replay with -Dlightning.seed=" + seed + ")");
        return new SplittableRandom(seed);
    }
}
