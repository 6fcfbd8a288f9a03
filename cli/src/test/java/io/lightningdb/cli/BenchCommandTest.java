package io.lightningdb.cli;

import static io.lightningdb.cli.CliCommandsTest.err;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightningdb.cli.bench.HtmlReport;
import io.lightningdb.cli.bench.JsonReport;
import io.lightningdb.testing.TestDirs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code lightning bench}: two configurations in one run, the table, JSON results, the report, progress lines. */
class BenchCommandTest {
    private final Path dir = TestDirs.fresh("cli-bench");

    @AfterEach
    void cleanUp() throws Exception {
        TestDirs.deleteTree(dir);
    }

    @Test
    void twoConfigsInOneRunWithTableJsonReportAndPlainProgress() throws Exception {
        Path data = dir.resolve("data");
        Path json = dir.resolve("results.json");
        Path report = dir.resolve("report.html");
        Path tuned = dir.resolve("tuned.json");
        Files.writeString(tuned, "{\"walSyncMode\": \"ASYNC\", \"cacheSize\": \"32MiB\"}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        // Plain progress lines every 100 ms, as off a terminal.
        int code = Main.run(new String[] {"bench", "--workload", "a", "--keys", "2000", "--threads", "2", "--seconds", "1",
            "--warmup", "0.2", "--seed", "42", "--preset", "memory_constrained", "--vs", tuned.toString(), "--dir",
            data.toString(), "--json", json.toString(), "--report", report.toString()},
                new PrintStream(out, true), new PrintStream(errBytes, true), false, 100_000_000L);
        String text = out.toString();
        assertEquals(0, code, text + errBytes);
        assertTrue(text.startsWith("bench a: 2,000 keys, 100-byte values, 2 threads, 1.0 s (+0.2 s warmup), seed 42\n"),
                text);
        assertTrue(text.contains("\n  run memory_constrained: "), "plain progress lines: " + text);
        assertTrue(text.contains("\nmemory_constrained "), text);
        assertTrue(text.contains("\ntuned "), text);
        assertTrue(text.contains("report: " + report), text);
        assertFalse(Files.exists(data), "the bench databases are removed without --keep");
        JsonNode doc = new ObjectMapper().readTree(json.toFile());
        assertEquals(JsonReport.FORMAT, doc.get("format").asText());
        assertEquals(2, doc.get("results").size());
        assertEquals("memory_constrained", doc.get("results").get(0).get("label").asText());
        assertEquals("tuned", doc.get("results").get(1).get("label").asText());
        assertEquals("ASYNC", doc.get("results").get(1).get("config").get("walSyncMode").asText());
        assertEquals(0, doc.get("results").get(0).get("errors").asLong());
        assertEquals(1, doc.get("comparisons").size());
        String html = Files.readString(report);
        assertTrue(html.contains("id=\"" + HtmlReport.LATENCY_CHART_ID + "\"") && html.contains("tuned"), "report written");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertTrue(err(64, "bench", "--workload", "z").startsWith("lightning bench: "), "unknown workload");
        assertTrue(err(64, "bench", "--threads", "0").contains("threads"), "threads out of range");
        assertTrue(err(64, "bench", "--vs", "turbo").startsWith("lightning bench: --vs turbo: no such file, nor a preset"));
        assertTrue(err(64, "bench", "--preset", "oltp", "--config", "x.json")
                .startsWith("lightning bench: --config and --preset exclude each other"));
        assertTrue(err(64, "bench", "--seconds", "-1").startsWith("lightning bench: --seconds must be in [0, 86400]"));
    }
}
