package io.lightningdb.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.lightningdb.Database;
import io.lightningdb.DatabaseStats;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stats}: {@code db.stats()} of the opened database, every field of {@link DatabaseStats}
 * and the records inside it, as indented "name: value" lines or one JSON object. Built from the
 * records' components, so a field added to the stats shows up here without a change.
 */
@Command(name = "stats", description = {"Prints db.stats().",
    "Keys, pages, cache, durability, transactions and native features, as text or JSON."})
final class StatsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    private CommandSpec spec;
    @Mixin
    private DbOptions db;
    @Option(names = "--json", description = "one JSON object (durations in nanoseconds, as fields named ...Nanos)")
    private boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        DatabaseStats stats;
        try (Database d = db.open(false)) {
            stats = d.stats();
        }
        Map<String, Object> tree = tree(stats);
        PrintWriter out = Main.of(spec).out();
        if (json) {
            out.println(JSON.writeValueAsString(tree));
        } else {
            printText(out, tree, "");
        }
        return Main.EXIT_OK;
    }

    /** A record as name → value, nested records as nested maps, durations as nanoseconds ("...Nanos"). */
    static Map<String, Object> tree(Record r) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(r);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
            }
            if (v instanceof Duration d) {
                m.put(c.getName() + "Nanos", d.toNanos());
            } else if (v instanceof Record nested) {
                m.put(c.getName(), tree(nested));
            } else if (v instanceof Enum<?> e) {
                m.put(c.getName(), e.name());
            } else {
                m.put(c.getName(), v);
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void printText(PrintWriter out, Map<String, Object> tree, String indent) {
        for (Map.Entry<String, Object> e : tree.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> nested) {
                out.println(indent + e.getKey() + ":");
                printText(out, (Map<String, Object>) nested, indent + "  ");
            } else {
                out.println(indent + e.getKey() + ": " + text(e.getValue()));
            }
        }
    }

    private static String text(Object v) {
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.4f", d);
        }
        if (v instanceof Long || v instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
        }
        return String.valueOf(v);
    }
}
