package io.lightningdb.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.lightningdb.Cursor;
import io.lightningdb.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scan}: entries in key order, one per line. Text lines are {@code key<TAB>value} with tabs,
 * line breaks, backslashes and non-text bytes escaped, so every entry is one unambiguous line; hex
 * lines are the bytes in hex; JSON lines are objects (docs/cli.md).
 */
@Command(name = "scan", description = {"Lists entries in key order (or reverse), one per line.",
    "text: key<TAB>value, escaped (\\t \\n \\\\ \\xNN); hex: hex key<TAB>hex value;",
    "json: {\"key\":...,\"value\":...} per line (keyHex/valueHex for bytes that are not UTF-8)."})
final class ScanCommand implements Callable<Integer> {
    enum Format { text, hex, json }

    @Spec
    private CommandSpec spec;
    @Mixin
    private DbOptions db;
    @Option(names = "--from", paramLabel = "KEY", description = "the first key (inclusive)")
    private String from;
    @Option(names = "--to", paramLabel = "KEY", description = "the end (exclusive)")
    private String to;
    @Option(names = "--prefix", paramLabel = "P", description = "only keys starting with P (not with --from/--to)")
    private String prefix;
    @Option(names = "--limit", paramLabel = "N", description = "at most N entries (default: all)")
    private Long limit;
    @Option(names = "--reverse", description = "descending key order")
    private boolean reverse;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text, hex or json (default: ${DEFAULT-VALUE})")
    private Format format;
    @Option(names = "--hex", description = "--from, --to and --prefix are hex")
    private boolean hex;

    @Override
    public Integer call() throws IOException {
        if (prefix != null && (from != null || to != null)) {
            throw new ParameterException(spec.commandLine(), "--prefix excludes --from and --to");
        }
        if (limit != null && limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be 0 or more, got " + limit);
        }
        byte[] lo = from == null ? null : KeyCommands.argument(spec, from, hex, "--from");
        byte[] hi = to == null ? null : KeyCommands.argument(spec, to, hex, "--to");
        byte[] p = prefix == null ? null : KeyCommands.argument(spec, prefix, hex, "--prefix");
        PrintWriter out = Main.of(spec).out();
        long max = limit == null ? Long.MAX_VALUE : limit;
        try (Database d = db.open(false);
                Cursor c = p != null ? (reverse ? d.scanPrefixReverse(p) : d.scanPrefix(p))
                        : (reverse ? d.scanReverse(lo, hi) : d.scan(lo, hi));
                JsonGenerator json = format == Format.json ? jsonLines(out) : null) {
            for (long n = 0; n < max && c.next(); n++) {
                print(out, json, c.key(), c.value());
            }
        }
        out.flush();
        return Main.EXIT_OK;
    }

    private void print(PrintWriter out, JsonGenerator json, byte[] k, byte[] v) throws IOException {
        switch (format) {
            case text -> out.println(Bytes.escaped(k) + "\t" + Bytes.escaped(v));
            case hex -> out.println(Bytes.hex(k) + "\t" + Bytes.hex(v));
            case json -> {
                json.writeStartObject();
                field(json, "key", k);
                field(json, "value", v);
                json.writeEndObject();
                json.flush();
                out.println();
            }
            default -> throw new IllegalStateException("format " + format);
        }
    }

    private static void field(JsonGenerator json, String name, byte[] b) throws IOException {
        String text = Bytes.utf8(b);
        if (text != null) {
            json.writeStringField(name, text);
        } else {
            json.writeStringField(name + "Hex", Bytes.hex(b));
        }
    }

    private static JsonGenerator jsonLines(PrintWriter out) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setRootValueSeparator(new SerializedString(""));
        return g;
    }
}
