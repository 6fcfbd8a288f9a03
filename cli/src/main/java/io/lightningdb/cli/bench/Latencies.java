package io.lightningdb.cli.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One thread's latency histograms, one per operation type, in nanoseconds (3 significant digits,
 * growing as needed so a stall of minutes is recorded, not dropped). Each thread records into its
 * own, without locks; the runner merges them when the threads are done.
 *
 * {@snippet :
 * Latencies mine = new Latencies();
 * mine.record(OpType.READ, System.nanoTime() - start);
 * total.add(mine);            // after the thread ended
 * List<LatencySummary> s = total.summaries(errors);
 * }
 */
final class Latencies {
    private static final int SIGNIFICANT_DIGITS = 3;
    /** Percentile points per halving of the distance to 100%: HdrHistogram's plots use 5. */
    private static final int TICKS_PER_HALF_DISTANCE = 5;
    private final Map<OpType, Histogram> byOp = new EnumMap<>(OpType.class);

    void record(OpType op, long nanos) {
        byOp.computeIfAbsent(op, o -> new Histogram(SIGNIFICANT_DIGITS)).recordValue(Math.max(1, nanos));
    }

    /** Adds another thread's recordings to these. */
    void add(Latencies other) {
        other.byOp.forEach((op, h) -> byOp.computeIfAbsent(op, o -> new Histogram(SIGNIFICANT_DIGITS)).add(h));
    }

    long count() {
        return byOp.values().stream().mapToLong(Histogram::getTotalCount).sum();
    }

    /** One summary per operation type that ran or failed, in {@link OpType} order. */
    List<LatencySummary> summaries(Errors errors) {
        List<LatencySummary> out = new ArrayList<>();
        for (OpType op : OpType.values()) {
            Histogram h = byOp.get(op);
            long failed = errors.count(op);
            if (h == null && failed == 0) {
                continue;
            }
            if (h == null) {
                h = new Histogram(SIGNIFICANT_DIGITS);
            }
            out.add(new LatencySummary(op, h.getTotalCount(), failed, micros(h.getValueAtPercentile(50)),
                    micros(h.getValueAtPercentile(90)), micros(h.getValueAtPercentile(99)),
                    micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()), h.getMean() / 1000.0,
                    distribution(h)));
        }
        return out;
    }

    /**
     * Latency by percentile as HdrHistogram's percentile output lists it: dense near the tail. The
     * 100% point is left out (a chart by 1/(1-p) cannot place it); the summary's max stands for it.
     */
    private static List<LatencySummary.Point> distribution(Histogram h) {
        List<LatencySummary.Point> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p >= 100.0) {
                break;
            }
            points.add(new LatencySummary.Point(p, micros(v.getValueIteratedTo())));
        }
        return points;
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
