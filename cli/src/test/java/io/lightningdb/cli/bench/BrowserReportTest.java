package io.lightningdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Loads the HTML report in a real headless browser (Debian's chromium) and reads back the DOM after
 * its script ran: both charts must carry the script's marks and hold a line per series with every
 * point of the data, and a legend entry per config.
 */
class BrowserReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern TAG = Pattern.compile("<(svg|polyline|g)\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([\\w-]+)=\"([^\"]*)\"");

    @Test
    void chromiumRendersBothCharts() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            if (TestDirs.underCi()) {
                fail("chromium is missing at " + CHROMIUM + "; the report's browser test needs it: apt-get install chromium");
            }
            Assumptions.abort("chromium not installed (apt-get install chromium); the browser test is skipped");
        }
        List<BenchResult> results = BenchFixture.twoConfigs();
        Path dir = TestDirs.fresh("bench-browser");
        Path report = dir.resolve("report.html");
        HtmlReport.write(results, report);
        String dom = dumpDom(dir, report);

        List<Map<String, String>> tags = tags(dom);
        Map<String, String> latency = svg(tags, HtmlReport.LATENCY_CHART_ID);
        Map<String, String> throughput = svg(tags, HtmlReport.THROUGHPUT_CHART_ID);
        assertEquals("true", latency.get("data-rendered"), "latency chart not drawn: " + latency);
        assertEquals("true", throughput.get("data-rendered"), "throughput chart not drawn: " + throughput);

        int expectedLatencyPoints = 0;
        for (BenchResult r : results) {
            for (LatencySummary l : r.run().latencies()) {
                Map<String, String> line = series(tags, r.label(), l.op().label());
                int points = l.distribution().size();
                expectedLatencyPoints += points;
                assertEquals(points, pointCount(line), "latency line of " + r.label() + " " + l.op().label());
                assertEquals(String.valueOf(points), line.get("data-points"));
                assertTrue(legend(tags, r.label(), l.op().label()), "legend entry " + r.label() + " " + l.op().label());
            }
            Map<String, String> line = series(tags, r.label(), "");
            assertEquals(r.throughput().size(), pointCount(line), "throughput line of " + r.label());
            assertTrue(legend(tags, r.label(), ""), "throughput legend entry " + r.label());
        }
        assertEquals(String.valueOf(expectedLatencyPoints), latency.get("data-points"));
        assertEquals("4", latency.get("data-series"), "2 configs x (read, update)");
        assertEquals(String.valueOf(results.get(0).throughput().size() + results.get(1).throughput().size()),
                throughput.get("data-points"));
        assertEquals("2", throughput.get("data-series"));
        TestDirs.deleteTree(dir);
    }

    private static String dumpDom(Path dir, Path report) throws Exception {
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.log");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + dir.resolve("profile"), "--dump-dom",
                report.toUri().toString()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            // Chromium forks renderer and zygote processes: end them too, or they outlive the test.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish in 90 s; its log: " + Files.readString(err));
        }
        String dom = Files.readString(out);
        assertEquals(0, p.exitValue(), () -> "chromium failed; its log: " + read(err));
        assertTrue(dom.contains("id=\"bench-data\""), () -> "no report in the dumped DOM: " + dom);
        return dom;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Every svg, polyline and g start tag with its attributes (and the tag name as "tag"). */
    private static List<Map<String, String>> tags(String dom) {
        List<Map<String, String>> out = new ArrayList<>();
        Matcher m = TAG.matcher(dom);
        String chart = "";
        while (m.find()) {
            Map<String, String> attrs = new HashMap<>();
            Matcher a = ATTRIBUTE.matcher(m.group(2));
            while (a.find()) {
                attrs.put(a.group(1), unescape(a.group(2)));
            }
            attrs.put("tag", m.group(1));
            if (m.group(1).equals("svg")) {
                chart = attrs.getOrDefault("id", "");
            }
            attrs.put("chart", chart);
            out.add(attrs);
        }
        return out;
    }

    private static Map<String, String> svg(List<Map<String, String>> tags, String id) {
        return tags.stream().filter(t -> t.get("tag").equals("svg") && id.equals(t.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no svg#" + id));
    }

    /** The line of config {@code label} and {@code op} ("" for the throughput chart). */
    private static Map<String, String> series(List<Map<String, String>> tags, String label, String op) {
        String chart = op.isEmpty() ? HtmlReport.THROUGHPUT_CHART_ID : HtmlReport.LATENCY_CHART_ID;
        Map<String, String> line = tags.stream().filter(t -> t.get("tag").equals("polyline")
                && chart.equals(t.get("chart")) && label.equals(t.get("data-label")) && op.equals(t.get("data-op")))
                .findFirst().orElse(null);
        assertNotNull(line, "no line for " + label + " " + op + " in " + chart);
        return line;
    }

    private static boolean legend(List<Map<String, String>> tags, String label, String op) {
        String chart = op.isEmpty() ? HtmlReport.THROUGHPUT_CHART_ID : HtmlReport.LATENCY_CHART_ID;
        return tags.stream().anyMatch(t -> t.get("tag").equals("g") && "legend-entry".equals(t.get("class"))
                && chart.equals(t.get("chart")) && label.equals(t.get("data-label")) && op.equals(t.get("data-op")));
    }

    private static int pointCount(Map<String, String> line) {
        String points = line.getOrDefault("points", "").trim();
        int n = 0;
        for (String xy : points.split("\\s+")) {
            assertTrue(xy.matches("-?[0-9.]+,-?[0-9.]+"), "point " + xy);
            n++;
        }
        return n;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }
}
