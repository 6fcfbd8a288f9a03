package io.lightningdb.cli.bench;

import java.util.List;

/**
 * The latency of one operation type in one phase, in microseconds, from its HdrHistogram.
 *
 * {@snippet :
 * LatencySummary r = result.run().latency(OpType.READ);
 * System.out.printf("%d reads, p99 %.1f us%n", r.count(), r.p99Micros());
 * }
 *
 * @param op the operation type
 * @param count operations that succeeded (and were timed)
 * @param errors operations that failed (not timed; see {@link BenchResult#errorSamples()})
 * @param distribution latency by percentile, ascending, for charts (the 100% point is {@code maxMicros})
 */
public record LatencySummary(OpType op, long count, long errors, double p50Micros, double p90Micros,
        double p99Micros, double p999Micros, double maxMicros, double meanMicros, List<Point> distribution) {
    public LatencySummary {
        distribution = List.copyOf(distribution);
    }

    /** One point of the distribution: {@code percentile}% of operations took at most {@code micros}. */
    public record Point(double percentile, double micros) {}
}
