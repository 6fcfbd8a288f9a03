package io.lightningdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ReportTest {
    @Test
    void tableHasEveryConfigAndOpAndARatioLine() {
        List<BenchResult> results = BenchFixture.twoConfigs();
        String table = TextReport.table(results);
        System.out.print(table);
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).startsWith("workload a: 50% read, 50% update (zipfian); 2,000 keys, 64-byte values, 2 threads"),
                lines.get(0));
        assertTrue(lines.get(1).matches("config +load ops/s +ops/s +op +count +p50 us +p99 us +p99\\.9 us +max us +errors"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("async ") && lines.get(2).contains(" read "), lines.get(2));
        assertTrue(lines.get(3).trim().startsWith("update "), lines.get(3));
        assertTrue(lines.get(4).startsWith(BenchFixture.SECOND) && lines.get(4).contains(" read "), lines.get(4));
        assertTrue(lines.get(6).matches(Pattern.quote(BenchFixture.SECOND) + " vs async: ops/s x[0-9.]+, load ops/s x[0-9.]+"
                + "; read p50 x[0-9.]+ p99 x[0-9.]+ p99\\.9 x[0-9.]+ max x[0-9.]+; update p50 .*"), lines.get(6));
        assertEquals(7, lines.size(), "no error lines: " + table);
    }

    @Test
    void jsonParsesBackWithTheDocumentedFields() throws Exception {
        List<BenchResult> results = BenchFixture.twoConfigs();
        Path file = TestDirs.fresh("bench-json").resolve("bench.json");
        JsonReport.write(results, file);
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        assertEquals(JsonReport.FORMAT, root.path("format").asText());
        assertEquals(2, root.path("results").size());
        for (int i = 0; i < 2; i++) {
            BenchResult r = results.get(i);
            JsonNode n = root.path("results").get(i);
            assertEquals(r.label(), n.path("label").asText());
            assertEquals(i == 0 ? "ASYNC" : "BATCH", n.path("config").path("walSyncMode").asText(), n.toString());
            JsonNode spec = n.path("spec");
            assertEquals("a", spec.path("workload").asText());
            assertEquals("zipfian", spec.path("distribution").asText());
            assertEquals(2_000, spec.path("keyCount").asLong());
            assertEquals(64, spec.path("valueSize").asInt());
            assertEquals(2, spec.path("threads").asInt());
            assertEquals(500, spec.path("durationMillis").asLong());
            assertEquals(100, spec.path("warmupMillis").asLong());
            assertEquals(r.spec().seed(), spec.path("seed").asLong());
            assertEquals(25, spec.path("sampleIntervalMillis").asLong());
            assertTrue(spec.has("maxScanLength") && spec.has("mix"));
            assertEquals(2_000, n.path("load").path("operations").asLong());
            assertTrue(n.path("load").path("latencies").has("insert"));
            JsonNode run = n.path("run");
            assertEquals(r.run().operations(), run.path("operations").asLong());
            assertEquals(r.run().opsPerSecond(), run.path("opsPerSecond").asDouble(), 1e-6);
            assertTrue(run.path("seconds").asDouble() >= 0.5);
            assertEquals(0, run.path("errors").asLong());
            for (String op : List.of("read", "update")) {
                JsonNode l = run.path("latencies").path(op);
                LatencySummary s = r.run().latency(OpType.valueOf(op.toUpperCase(java.util.Locale.ROOT)));
                assertEquals(s.count(), l.path("count").asLong());
                for (String f : List.of("errors", "p50Micros", "p90Micros", "p99Micros", "p999Micros", "maxMicros",
                        "meanMicros")) {
                    assertTrue(l.path(f).isNumber(), op + "." + f);
                }
                assertEquals(s.p99Micros(), l.path("p99Micros").asDouble(), 1e-9);
                assertEquals(s.distribution().size(), l.path("distribution").size());
                assertTrue(l.path("distribution").get(0).has("percentile") && l.path("distribution").get(0).has("micros"));
            }
            assertEquals(r.throughput().size(), n.path("throughput").size());
            assertTrue(n.path("throughput").get(0).has("seconds") && n.path("throughput").get(0).has("opsPerSecond"));
            assertEquals(0, n.path("errors").asLong());
            assertTrue(n.path("errorSamples").isArray());
        }
        JsonNode c = root.path("comparisons").get(0);
        assertEquals("async", c.path("base").asText());
        assertEquals(BenchFixture.SECOND, c.path("other").asText());
        assertTrue(c.path("opsPerSecondRatio").isNumber() && c.path("loadOpsPerSecondRatio").isNumber());
        assertTrue(c.path("latencyRatios").path("read").path("p99").isNumber());
        assertTrue(c.path("latencyRatios").path("update").has("p999"));
    }

    @Test
    void htmlIsOneSelfContainedFile() {
        String html = HtmlReport.html(BenchFixture.twoConfigs());
        Matcher external = Pattern.compile("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//").matcher(html);
        assertFalse(external.find(), () -> "external reference: " + external.group());
        assertFalse(Pattern.compile("(?i)<link|@import|url\\(").matcher(html).find(), "no linked style sheets or fonts");
        assertFalse(Pattern.compile("(?i)<script[^>]+src").matcher(html).find(), "no external scripts");
        assertTrue(html.contains("<svg id=\"latency-chart\""));
        assertTrue(html.contains("<svg id=\"throughput-chart\""));
        assertTrue(html.contains("<script type=\"application/json\" id=\"bench-data\">"));
        // The label's markup is escaped in HTML and cannot end the data script early.
        assertEquals(2, html.split("</script>", -1).length - 1, "only the two script elements end");
        assertTrue(html.contains("batch &lt;/script&gt; &amp; &lt;b&gt;"));
        assertTrue(html.contains("<table id=\"summary\">"));
    }
}
