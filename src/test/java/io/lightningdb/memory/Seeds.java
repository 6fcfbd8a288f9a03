package io.lightningdb.memory;

/** Seeds for randomised tests: printed so a failure can be replayed with -Dlightning.seed. */
final class Seeds {
    private Seeds() {}

    static long seed(String test) {
        String fixed = System.getProperty("lightning.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : System.nanoTime();
        System.out.println(test + ": seed=" + seed + " (replay with -Dlightning.seed=" + seed + ")");
        return seed;
    }
}
