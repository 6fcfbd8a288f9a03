package io.lightningdb.cli.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The results as one JSON document with stable field names (docs/bench.md lists them): written
 * field by field rather than by reflection, so renaming a Java accessor cannot rename a field that
 * scripts read. Ratios with no base figure are written as null.
 *
 * {@snippet :
 * JsonReport.write(results, Path.of("bench.json"));
 * // {"format":"lightning-bench/1","results":[{"label":"default","config":{...},"spec":{...},
 * //   "load":{...},"run":{"operations":...,"latencies":{"read":{"p50Micros":...}}},"throughput":[...]}],
 * //  "comparisons":[...]}
 * }
 */
public final class JsonReport {
    /** Changes when a field changes meaning or goes away (new fields may be added without). */
    public static final String FORMAT = "lightning-bench/1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    /** The document as text. */
    public static String json(List<BenchResult> results) {
        try {
            return MAPPER.writeValueAsString(tree(results));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench results did not serialize", e);
        }
    }

    /** Writes the document to {@code file}, replacing it. */
    public static void write(List<BenchResult> results, Path file) throws IOException {
        Files.writeString(file, json(results) + "\n");
    }

    /** The document as a Jackson tree. */
    public static ObjectNode tree(List<BenchResult> results) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        ArrayNode list = root.putArray("results");
        for (BenchResult r : results) {
            list.add(result(r));
        }
        ArrayNode comparisons = root.putArray("comparisons");
        for (Comparison c : Comparison.all(results)) {
            comparisons.add(comparison(c));
        }
        return root;
    }

    private static ObjectNode result(BenchResult r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("label", r.label());
        o.set("config", config(r.configJson()));
        o.set("spec", spec(r.spec()));
        o.set("load", phase(r.load()));
        o.set("run", phase(r.run()));
        ArrayNode series = o.putArray("throughput");
        for (BenchResult.ThroughputPoint p : r.throughput()) {
            series.addObject().put("seconds", p.seconds()).put("opsPerSecond", p.opsPerSecond());
        }
        o.put("errors", r.errors());
        ArrayNode samples = o.putArray("errorSamples");
        r.errorSamples().forEach(samples::add);
        return o;
    }

    private static JsonNode config(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("LightningDbConfig.toJson() wrote no JSON: " + json, e);
        }
    }

    private static ObjectNode spec(BenchSpec s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("workload", s.workload().label());
        o.put("mix", s.workload().describe());
        o.put("distribution", s.workload().distribution().name().toLowerCase(java.util.Locale.ROOT));
        o.put("keyCount", s.keyCount());
        o.put("valueSize", s.valueSize());
        o.put("threads", s.threads());
        o.put("durationMillis", s.duration().toMillis());
        o.put("warmupMillis", s.warmup().toMillis());
        o.put("maxScanLength", s.maxScanLength());
        o.put("seed", s.seed());
        o.put("readBeforeUpdate", s.readBeforeUpdate());
        o.put("sampleIntervalMillis", s.sampleInterval().toMillis());
        return o;
    }

    private static ObjectNode phase(PhaseResult p) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("operations", p.operations());
        o.put("seconds", p.seconds());
        o.put("opsPerSecond", p.opsPerSecond());
        o.put("errors", p.errors());
        ObjectNode byOp = o.putObject("latencies");
        for (LatencySummary l : p.latencies()) {
            ObjectNode n = byOp.putObject(l.op().label());
            n.put("count", l.count());
            n.put("errors", l.errors());
            n.put("p50Micros", l.p50Micros());
            n.put("p90Micros", l.p90Micros());
            n.put("p99Micros", l.p99Micros());
            n.put("p999Micros", l.p999Micros());
            n.put("maxMicros", l.maxMicros());
            n.put("meanMicros", l.meanMicros());
            ArrayNode d = n.putArray("distribution");
            for (LatencySummary.Point pt : l.distribution()) {
                d.addObject().put("percentile", pt.percentile()).put("micros", pt.micros());
            }
        }
        return o;
    }

    private static ObjectNode comparison(Comparison c) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("base", c.base());
        o.put("other", c.other());
        ratio(o, "opsPerSecondRatio", c.opsPerSecondRatio());
        ratio(o, "loadOpsPerSecondRatio", c.loadOpsPerSecondRatio());
        ObjectNode byOp = o.putObject("latencyRatios");
        for (Comparison.OpRatios r : c.latencies()) {
            ObjectNode n = byOp.putObject(r.op().label());
            ratio(n, "p50", r.p50());
            ratio(n, "p99", r.p99());
            ratio(n, "p999", r.p999());
            ratio(n, "max", r.max());
        }
        return o;
    }

    private static void ratio(ObjectNode o, String field, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            o.putNull(field);
        } else {
            o.put(field, value);
        }
    }
}
