package io.lightningdb.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The results as one self-contained HTML file: inline CSS, the JSON document of {@link JsonReport}
 * embedded, and an inline script (no library, nothing fetched) that draws two SVG charts, latency
 * by percentile ({@code svg#latency-chart}) and throughput over time ({@code svg#throughput-chart}),
 * then marks each {@code data-rendered="true"} with {@code data-series} and {@code data-points}.
 * The summary table is plain HTML, readable with scripts off.
 *
 * {@snippet :
 * HtmlReport.write(results, Path.of("bench.html"));   // open it in any browser, offline
 * }
 */
public final class HtmlReport {
    public static final String LATENCY_CHART_ID = "latency-chart";
    public static final String THROUGHPUT_CHART_ID = "throughput-chart";

    private HtmlReport() {}

    /** Writes the report to {@code file}, replacing it. */
    public static void write(List<BenchResult> results, Path file) throws IOException {
        Files.writeString(file, html(results));
    }

    /** The report as text. */
    public static String html(List<BenchResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("results: nothing to report");
        }
        BenchSpec spec = results.get(0).spec();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Lightning DB bench: workload ")
                .append(spec.workload().label()).append("</title>\n<style>\n").append(resource("report.css"))
                .append("</style>\n</head>\n<body>\n<h1>Lightning DB bench</h1>\n<p class=\"spec\">")
                .append(escape(TextReport.table(results).lines().findFirst().orElse(""))).append("</p>\n");
        summary(h, results);
        h.append("<h2>Latency by percentile</h2>\n<svg id=\"").append(LATENCY_CHART_ID)
                .append("\" class=\"bench-chart\" viewBox=\"0 0 960 460\" role=\"img\""
                        + " aria-label=\"latency by percentile\"></svg>\n")
                .append("<h2>Throughput over time</h2>\n<svg id=\"").append(THROUGHPUT_CHART_ID)
                .append("\" class=\"bench-chart\" viewBox=\"0 0 960 380\" role=\"img\""
                        + " aria-label=\"throughput over time\"></svg>\n");
        h.append("<h2>Configs</h2>\n");
        for (BenchResult r : results) {
            h.append("<details><summary>").append(escape(r.label())).append("</summary><pre>")
                    .append(escape(r.configJson())).append("</pre></details>\n");
        }
        // "</" would end the script element early; "<\/" is the same JSON string.
        h.append("<script type=\"application/json\" id=\"bench-data\">\n")
                .append(JsonReport.json(results).replace("</", "<\\/")).append("\n</script>\n<script>\n")
                .append(resource("report.js")).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, List<BenchResult> results) {
        h.append("<h2>Summary</h2>\n<table id=\"summary\">\n<tr><th>config</th><th>op</th><th>count</th><th>ops/s</th>"
                + "<th>p50 \u00b5s</th><th>p90 \u00b5s</th><th>p99 \u00b5s</th><th>p99.9 \u00b5s</th><th>max \u00b5s</th>"
                + "<th>errors</th></tr>\n");
        for (BenchResult r : results) {
            h.append(row(r.label(), "all (load " + number(r.load().opsPerSecond()) + "/s)", r.run().operations(),
                    number(r.run().opsPerSecond()), null, r.run().errors()));
            for (LatencySummary l : r.run().latencies()) {
                h.append(row("", l.op().label(), l.count(), "", l, l.errors()));
            }
        }
        h.append("</table>\n");
        List<Comparison> comparisons = Comparison.all(results);
        if (!comparisons.isEmpty()) {
            h.append("<pre id=\"ratios\">");
            comparisons.forEach(c -> h.append(escape(TextReport.ratios(c))));
            h.append("</pre>\n");
        }
        for (BenchResult r : results) {
            if (r.errors() > 0) {
                h.append("<p class=\"errors\">").append(escape(r.label())).append(": ").append(r.errors())
                        .append(" failed operations</p>\n<pre>");
                r.errorSamples().forEach(s -> h.append(escape(s)).append('\n'));
                h.append("</pre>\n");
            }
        }
    }

    private static String row(String label, String op, long count, String rate, LatencySummary l, long errors) {
        StringBuilder s = new StringBuilder("<tr><td>").append(escape(label)).append("</td><td>").append(escape(op))
                .append("</td><td>").append(String.format(Locale.ROOT, "%,d", count)).append("</td><td>").append(rate)
                .append("</td>");
        double[] cells = l == null ? new double[0]
                : new double[] {l.p50Micros(), l.p90Micros(), l.p99Micros(), l.p999Micros(), l.maxMicros()};
        for (int i = 0; i < 5; i++) {
            s.append("<td>").append(i < cells.length ? String.format(Locale.ROOT, "%.1f", cells[i]) : "").append("</td>");
        }
        return s.append("<td>").append(errors).append("</td></tr>\n").toString();
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * A resource of this package, in the command line's jar: on the module path a class reads the
     * resources of its own module's packages without an {@code opens}, and on the class path any.
     */
    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("report resource " + HtmlReport.class.getPackageName().replace('.', '/')
                        + "/" + name + " is missing from the command line's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
