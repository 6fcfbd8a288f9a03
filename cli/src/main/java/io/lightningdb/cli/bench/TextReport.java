package io.lightningdb.cli.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The results as a plain-text table: per config its throughput and, per operation type, count and
 * latency percentiles in microseconds; with two or more configs a ratio line for each against the
 * first; failed operations, when any, below.
 *
 * {@snippet :
 * System.out.print(TextReport.table(results));
 * }
 */
public final class TextReport {
    /** The config column is as wide as the longest label; the rest fit 8-digit rates and 4-digit latencies. */
    private static final String ROW = " %12s %12s  %-17s %11s %10s %10s %10s %10s %8s%n";

    private TextReport() {}

    /** The table, ending in a newline. */
    public static String table(List<BenchResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("results: nothing to report");
        }
        int width = Math.max("config".length(), results.stream().mapToInt(r -> r.label().length()).max().orElse(0));
        String row = "%-" + width + "s" + ROW;
        StringBuilder out = new StringBuilder();
        out.append(header(results.get(0).spec()));
        out.append(String.format(Locale.ROOT, row, "config", "load ops/s", "ops/s", "op", "count", "p50 us", "p99 us",
                "p99.9 us", "max us", "errors"));
        for (BenchResult r : results) {
            boolean first = true;
            for (LatencySummary l : r.run().latencies()) {
                out.append(String.format(Locale.ROOT, row, first ? r.label() : "",
                        first ? (r.load().operations() == 0 ? "-" : count(Math.round(r.load().opsPerSecond()))) : "",
                        first ? count(Math.round(r.run().opsPerSecond())) : "", l.op().label(), count(l.count()),
                        micros(l.p50Micros()), micros(l.p99Micros()), micros(l.p999Micros()), micros(l.maxMicros()),
                        count(l.errors())));
                first = false;
            }
        }
        for (Comparison c : Comparison.all(results)) {
            out.append(ratios(c));
        }
        for (BenchResult r : results) {
            if (r.errors() > 0) {
                out.append(String.format(Locale.ROOT, "ERRORS in %s: %,d failed operations (load %,d, run %,d); first:%n",
                        r.label(), r.errors(), r.load().errors(), r.run().errors()));
                r.errorSamples().forEach(s -> out.append("  ").append(s).append('\n'));
            }
        }
        return out.toString();
    }

    /** One line per comparison: "oltp vs default: ops/s x1.25, load x3.10; read p50 x0.91 p99 x0.80 ...". */
    static String ratios(Comparison c) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s vs %s: ops/s %s, load ops/s %s", c.other(),
                c.base(), times(c.opsPerSecondRatio()), times(c.loadOpsPerSecondRatio())));
        for (Comparison.OpRatios o : c.latencies()) {
            s.append(String.format(Locale.ROOT, "; %s p50 %s p99 %s p99.9 %s max %s", o.op().label(), times(o.p50()),
                    times(o.p99()), times(o.p999()), times(o.max())));
        }
        return s.append('\n').toString();
    }

    private static String header(BenchSpec s) {
        return String.format(Locale.ROOT, "workload %s: %s%s; %,d keys, %,d-byte values, %d thread%s, %s (after %s warmup)%n",
                s.workload().label(), s.workload().describe(), s.readBeforeUpdate() ? ", updates read first" : "",
                s.keyCount(), s.valueSize(), s.threads(), s.threads() == 1 ? "" : "s",
                seconds(s.duration()), seconds(s.warmup()));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "x%.2f", ratio);
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Three significant digits at least, as HdrHistogram keeps. */
    private static String micros(double us) {
        return String.format(Locale.ROOT, us >= 100 ? "%,.0f" : us >= 10 ? "%.1f" : "%.2f", us);
    }
}
