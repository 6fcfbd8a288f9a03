package io.lightningdb;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.lightningdb.JsonFields.Value;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes {@link LightningDbConfig} as JSON: one object whose fields are the builder's
 * knobs (docs/configuration.md lists them all), optionally starting from a {@link Preset}. Every
 * field is checked; any problem is a {@link ConfigFileException} naming the file, the field and
 * what is allowed, and nothing is built from a file with a problem.
 *
 * The public face is {@link LightningDbConfig#fromFile}, {@link LightningDbConfig#toJson} and friends.
 */
final class ConfigJson {
    /** The optional field naming a preset the other fields start from. */
    static final String PRESET_FIELD = "preset";

    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|TiB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)");

    private ConfigJson() {}

    /** The configuration in {@code file}. */
    static LightningDbConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigFileException(file, null, "cannot be read: " + e, e);
        }
        return parse(text, file);
    }

    /** The configuration in {@code json}; {@code source} names it in messages. */
    static LightningDbConfig parse(String json, Path source) {
        Map<String, Value> root;
        try {
            root = JsonFields.read(json);
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(source, null, "is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr()), e);
        } catch (JsonFields.NotAnObject e) {
            throw new ConfigFileException(source, null, "must hold one JSON object of configuration fields, got "
                    + e.getMessage(), null);
        }
        LightningDbConfig.Builder b = LightningDbConfig.builder();
        Value preset = root.get(PRESET_FIELD);
        if (preset != null) {
            b = presetOf(preset, source).builder();
        }
        for (Map.Entry<String, Value> e : root.entrySet()) {
            if (e.getKey().equals(PRESET_FIELD)) {
                continue;
            }
            ConfigField f = ConfigField.named(e.getKey());
            if (f == null) {
                throw new ConfigFileException(source, e.getKey(), "unknown field; the fields are " + PRESET_FIELD + ", "
                        + String.join(", ", ConfigField.ALL.stream().map(x -> x.name).toList()), null);
            }
            f.set.accept(b, value(f, e.getValue(), source));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            String msg = String.valueOf(e.getMessage());
            String first = msg.split("[ (]", 2)[0];
            throw new ConfigFileException(source, ConfigField.named(first) != null ? first : null, msg, e);
        }
    }

    private static Preset presetOf(Value node, Path source) {
        if (!node.isTextual()) {
            throw new ConfigFileException(source, PRESET_FIELD, "must be a string, one of " + Preset.names(), null);
        }
        Preset p = Preset.byName(node.text());
        if (p == null) {
            throw new ConfigFileException(source, PRESET_FIELD, "unknown preset \"" + node.text() + "\"; the presets are "
                    + Preset.names(), null);
        }
        return p;
    }

    private static Object value(ConfigField f, Value v, Path source) {
        switch (f.kind) {
            case BYTES -> {
                if (v.asLong() != null) {
                    return v.asLong();
                }
                if (v.isTextual()) {
                    Matcher m = BYTES.matcher(v.text().trim());
                    if (m.matches()) {
                        return bytes(m, f, source);
                    }
                }
                throw wrongType(f, v, source, "a whole number of bytes, or a string like \"256MiB\" (B, KiB, MiB, GiB, TiB)");
            }
            case INT -> {
                Long n = v.asLong();
                if (n != null && n == n.intValue()) {
                    return n.intValue();
                }
                throw wrongType(f, v, source, "a whole number in the int range");
            }
            case DOUBLE -> {
                if (v.isNumber()) {
                    return Double.parseDouble(v.text());
                }
                throw wrongType(f, v, source, "a number");
            }
            case BOOLEAN -> {
                if (v.isBoolean()) {
                    return Boolean.parseBoolean(v.text());
                }
                throw wrongType(f, v, source, "true or false");
            }
            case DURATION -> {
                if (v.isTextual()) {
                    Duration d = duration(v.text().trim());
                    if (d != null) {
                        return d;
                    }
                }
                throw wrongType(f, v, source, "a duration string like \"500us\", \"10ms\", \"1s\" (ns, us, ms, s, m, h) "
                        + "or ISO-8601 like \"PT0.01S\"");
            }
            case ENUM -> {
                if (v.isTextual()) {
                    for (String n : f.enumNames()) {
                        if (n.equalsIgnoreCase(v.text().trim())) {
                            return Enum.valueOf(f.enumType.asSubclass(Enum.class), n);
                        }
                    }
                }
                throw wrongType(f, v, source, "one of " + String.join(", ", f.enumNames()));
            }
            case TEXT -> {
                if (v.isTextual()) {
                    try {
                        return f.parse.apply(v.text());
                    } catch (IllegalArgumentException e) {
                        throw new ConfigFileException(source, f.name, e.getMessage(), e);
                    }
                }
                throw wrongType(f, v, source, "a string");
            }
            default -> throw new IllegalStateException("kind " + f.kind);
        }
    }

    private static long bytes(Matcher m, ConfigField f, Path source) {
        int shift = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new ConfigFileException(source, f.name, "\"" + m.group() + "\" is too large", null);
        }
    }

    /** A duration like "10ms" or ISO-8601, or null when the text is neither. */
    static Duration duration(String s) {
        Matcher m = DURATION.matcher(s);
        if (m.matches()) {
            double n = Double.parseDouble(m.group(1));
            double nanosPer = switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            double nanos = n * nanosPer;
            return nanos > Long.MAX_VALUE ? null : Duration.ofNanos(Math.round(nanos));
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private static ConfigFileException wrongType(ConfigField f, Value v, Path source, String expected) {
        return new ConfigFileException(source, f.name, "expected " + expected + ", got " + v, null);
    }

    /** {@code config} as a JSON object with every field explicit. */
    static String toJson(LightningDbConfig config) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JsonFields.FACTORY.createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartObject();
            for (ConfigField f : ConfigField.ALL) {
                Object v = f.get.apply(config);
                g.writeFieldName(f.name);
                switch (f.kind) {
                    case BYTES -> g.writeNumber((Long) v);
                    case INT -> g.writeNumber((Integer) v);
                    case DOUBLE -> g.writeNumber((Double) v);
                    case BOOLEAN -> g.writeBoolean((Boolean) v);
                    case DURATION -> g.writeString(format((Duration) v));
                    case ENUM -> g.writeString(((Enum<?>) v).name());
                    case TEXT -> g.writeString(v.toString());
                    default -> throw new IllegalStateException("kind " + f.kind);
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does no I/O.
            throw new IllegalStateException(e);
        }
        return out + "\n";
    }

    /** Writes {@code config} to {@code file} (every field explicit), replacing it atomically. */
    static void write(LightningDbConfig config, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, toJson(config), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The fields whose values differ between {@code a} and {@code b}, as "name: a -> b". */
    static List<String> differences(LightningDbConfig a, LightningDbConfig b) {
        List<String> out = new ArrayList<>();
        for (ConfigField f : ConfigField.ALL) {
            Object x = f.get.apply(a);
            Object y = f.get.apply(b);
            if (!x.equals(y)) {
                out.add(f.name + ": " + show(f, x) + " -> " + show(f, y));
            }
        }
        return out;
    }

    /** One line: "name=value, ..." for every field, in the table's order. */
    static String describe(LightningDbConfig config) {
        StringBuilder sb = new StringBuilder();
        for (ConfigField f : ConfigField.ALL) {
            sb.append(sb.isEmpty() ? "" : ", ").append(f.name).append('=').append(show(f, f.get.apply(config)));
        }
        return sb.toString();
    }

    private static String show(ConfigField f, Object v) {
        return f.kind == ConfigField.Kind.DURATION ? format((Duration) v) : String.valueOf(v);
    }

    /** The shortest exact form: "500us", "10ms", "1s"; nanoseconds when nothing larger divides. */
    static String format(Duration d) {
        long n = d.toNanos();
        if (n != 0 && n % 1_000_000_000L == 0) {
            return n / 1_000_000_000L + "s";
        }
        if (n != 0 && n % 1_000_000L == 0) {
            return n / 1_000_000L + "ms";
        }
        if (n != 0 && n % 1_000L == 0) {
            return n / 1_000L + "us";
        }
        return n + "ns";
    }
}
