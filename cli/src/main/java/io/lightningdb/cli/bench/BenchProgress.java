package io.lightningdb.cli.bench;

/**
 * Progress of a bench run, called by the runner's own thread at least every 100 ms of work (and
 * once at the end of each phase with done == total), never from the worker threads.
 *
 * {@snippet :
 * BenchProgress p = (label, phase, done, total, ops) ->
 *         System.err.printf("\r%s %s %d/%d (%,d ops)", label, phase, done, total, ops);
 * }
 */
@FunctionalInterface
public interface BenchProgress {
    /** Prints nothing. */
    BenchProgress NONE = (label, phase, done, total, operations) -> {};

    /**
     * @param label the config being run ({@link BenchTarget#label()})
     * @param phase "load" (done and total count keys), "warmup" or "run" (done and total are milliseconds)
     * @param operations operations finished so far in this phase (for a rate)
     */
    void update(String label, String phase, long done, long total, long operations);
}
