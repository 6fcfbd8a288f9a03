package io.lightningdb.cli.bench;

import java.util.List;

/**
 * One config's bench run: what ran, against what, and how it went.
 *
 * {@snippet :
 * BenchResult r = BenchRunner.run(dir, new BenchTarget("default", LightningDbConfig.defaults()), spec, BenchProgress.NONE);
 * if (r.errors() > 0) { r.errorSamples().forEach(System.err::println); }
 * }
 *
 * @param label the config's name in tables, JSON and charts
 * @param configJson the config as {@code LightningDbConfig.toJson()} wrote it (every field)
 * @param spec the workload and its parameters
 * @param load the load phase (inserts of {@code spec.keyCount()} keys)
 * @param run the measured run (after the warmup)
 * @param throughput the measured run's operations per second, interval by interval
 * @param errorSamples the first messages of failed operations (load and run); empty when none failed
 */
public record BenchResult(String label, String configJson, BenchSpec spec, PhaseResult load, PhaseResult run,
        List<ThroughputPoint> throughput, List<String> errorSamples) {
    public BenchResult {
        throughput = List.copyOf(throughput);
        errorSamples = List.copyOf(errorSamples);
    }

    /** Failed operations of both phases: a run is only valid when this is 0. */
    public long errors() {
        return load.errors() + run.errors();
    }

    /** One throughput sample: {@code opsPerSecond} over the interval that ended {@code seconds} into the run. */
    public record ThroughputPoint(double seconds, double opsPerSecond) {}
}
