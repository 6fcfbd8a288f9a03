package io.lightningdb.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How a config did against the first one ({@code --vs}): each figure of {@code other} divided by
 * the same figure of {@code base}. Above 1 is better for throughput, worse for latency.
 *
 * {@snippet :
 * Comparison c = Comparison.of(results.get(0), results.get(1));
 * c.opsPerSecondRatio()    // 1.25: 25% more operations per second
 * }
 *
 * @param base the label of the config compared against
 * @param other the label of the config compared
 * @param latencies one entry per operation type both ran
 */
public record Comparison(String base, String other, double opsPerSecondRatio, double loadOpsPerSecondRatio,
        List<OpRatios> latencies) {
    public Comparison {
        latencies = List.copyOf(latencies);
    }

    /** Latency ratios of one operation type. */
    public record OpRatios(OpType op, double p50, double p99, double p999, double max) {}

    /** Every result after the first against the first; empty for a single result. */
    public static List<Comparison> all(List<BenchResult> results) {
        List<Comparison> out = new ArrayList<>();
        for (int i = 1; i < results.size(); i++) {
            out.add(of(results.get(0), results.get(i)));
        }
        return out;
    }

    public static Comparison of(BenchResult base, BenchResult other) {
        List<OpRatios> ops = new ArrayList<>();
        for (LatencySummary b : base.run().latencies()) {
            LatencySummary o = other.run().latency(b.op());
            if (o != null && b.count() > 0 && o.count() > 0) {
                ops.add(new OpRatios(b.op(), ratio(o.p50Micros(), b.p50Micros()), ratio(o.p99Micros(), b.p99Micros()),
                        ratio(o.p999Micros(), b.p999Micros()), ratio(o.maxMicros(), b.maxMicros())));
            }
        }
        return new Comparison(base.label(), other.label(), ratio(other.run().opsPerSecond(), base.run().opsPerSecond()),
                ratio(other.load().opsPerSecond(), base.load().opsPerSecond()), ops);
    }

    /** NaN when the base is 0, so "no figure" never reads as "infinitely better". */
    private static double ratio(double other, double base) {
        return base == 0 ? Double.NaN : other / base;
    }
}
