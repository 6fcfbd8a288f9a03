package io.lightningdb.cli;

import static io.lightningdb.cli.CliCommandsTest.err;
import static io.lightningdb.cli.CliCommandsTest.out;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.Preset;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code lightning config show|validate|apply|preset} and the configuration the other commands open with. */
class ConfigCommandTest {
    private final Path dir = TestDirs.fresh("cli-config");
    private final String db = dir.resolve("db").toString();

    @AfterEach
    void cleanUp() throws Exception {
        TestDirs.deleteTree(dir);
    }

    private Path file(String name, String json) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    @Test
    void validateSaysOkWithTheChangesOrNamesFileAndField() throws Exception {
        Path good = file("good.json", "{\"preset\": \"oltp\", \"cacheSize\": \"64MiB\"}");
        String ok = out(0, "config", "validate", good.toString());
        assertTrue(ok.startsWith(good + ": ok, differs from the defaults in:\n  cacheSize: 268435456 -> 67108864\n"), ok);
        assertTrue(ok.contains("\n  walSyncMode: SYNC -> BATCH\n"), ok);
        Path empty = file("empty.json", "{}");
        assertEquals(empty + ": ok, every field at its default\n", out(0, "config", "validate", empty.toString()));
        String[][] bad = {
            {"unknown.json", "{\"cachesize\": 1}", "field \"cachesize\": unknown field; the fields are preset, cacheSize"},
            {"type.json", "{\"pinHotPages\": \"yes\"}", "field \"pinHotPages\": expected true or false, got \"yes\""},
            {"range.json", "{\"pageSize\": 1000}", "field \"pageSize\": pageSize must be a power of two in [4096, 65536]"},
            {"syntax.json", "{\"pageSize\": ", "is not valid JSON"},
        };
        for (String[] b : bad) {
            Path f = file(b[0], b[1]);
            String e = err(1, "config", "validate", f.toString());
            assertTrue(e.startsWith("lightning config validate: " + f + ": " + b[2]), e);
        }
        Path missing = dir.resolve("missing.json");
        assertTrue(err(1, "config", "validate", missing.toString())
                .startsWith("lightning config validate: " + missing + ": cannot be read"));
    }

    @Test
    void applyRemembersTheFileAndLaterCommandsOpenWithIt() throws Exception {
        assertTrue(err(1, "config", "show", "--db", db).endsWith("no remembered configuration (no lightning.config.json); "
                + "a database writes it when it is opened"));
        out(0, "put", "--db", db, "k", "v");
        assertEquals(List.of(), LightningDbConfig.fromJson(out(0, "config", "show", "--db", db), Path.of("show"))
                .differencesFrom(LightningDbConfig.defaults()), "put opened a new database with the defaults");
        Path tuned = file("tuned.json", "{\"cacheSize\": \"32MiB\", \"walSyncMode\": \"batch\"}");
        assertEquals("applied " + tuned + " to " + db + ":\n  cacheSize: 268435456 -> 33554432\n"
                + "  walSyncMode: SYNC -> BATCH\n", out(0, "config", "apply", tuned.toString(), "--db", db));
        LightningDbConfig shown = LightningDbConfig.fromJson(out(0, "config", "show", "--db", db), Path.of("show"));
        assertEquals(List.of(), shown.differencesFrom(LightningDbConfig.fromFile(tuned)));
        assertEquals("v\n", out(0, "get", "--db", db, "k"));
        try (Database d = Database.open(Path.of(db), LightningDbConfig.fromFile(tuned))) {
            assertEquals(List.of(), d.configChanges(), "get opened with the remembered config, and changed nothing");
        }
        out(0, "get", "--db", db, "--preset", "read_heavy", "k");
        try (Database d = Database.open(Path.of(db), LightningDbConfig.fromFile(tuned))) {
            assertTrue(d.configChanges().contains("pinHotPages: true -> false"), d.configChanges().toString());
        }
        assertEquals("applied " + tuned + " to " + db + ": nothing changed\n",
                out(0, "config", "apply", tuned.toString(), "--db", db));
        Path bad = file("bad.json", "{\"walSyncMode\": \"SOMETIMES\"}");
        assertTrue(err(1, "config", "apply", bad.toString(), "--db", db).contains("one of SYNC, BATCH, ASYNC"));
        assertTrue(err(1, "config", "apply", tuned.toString(), "--db", dir.resolve("none").toString())
                .endsWith("no database here (no lightning.db); pass --db DIR to name the directory of one"));
    }

    @Test
    void presetPrintsListsAndWrites() throws Exception {
        String listed = out(0, "config", "preset");
        for (Preset p : Preset.values()) {
            assertTrue(listed.contains(p.fileName() + " ") && listed.contains(p.description()), listed);
        }
        LightningDbConfig oltp = LightningDbConfig.fromJson(out(0, "config", "preset", "oltp"), Path.of("oltp"));
        assertEquals(List.of(), oltp.differencesFrom(Preset.OLTP.builder().build()));
        Path written = dir.resolve("hdd.json");
        assertEquals("wrote preset hdd to " + written + "\n", out(0, "config", "preset", "hdd", "--out", written.toString()));
        assertEquals(16384, LightningDbConfig.fromFile(written).pageSize());
        assertTrue(err(64, "config", "preset", "turbo").startsWith("lightning config preset: unknown preset 'turbo'"));
        assertEquals("lightning config: Missing required subcommand; see 'lightning config --help'", err(64, "config"));
    }
}
