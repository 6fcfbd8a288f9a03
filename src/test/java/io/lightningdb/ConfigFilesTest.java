package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON configuration files: every field round-trips, and each kind of bad file gets its message. */
class ConfigFilesTest {
    static final Path SRC = Path.of("test.json");

    @Test
    void everyFieldRoundTripsThroughAFile() throws Exception {
        LightningDbConfig c = LightningDbConfig.builder().cacheSize(3L << 30).pageSize(8192).maxKeySize(512)
                .maxDatabaseSize(2L << 40).enableSimdSearch(false).cacheAlgorithm(CacheAlgorithm.ARC)
                .enableScanResistance(false).pinHotPages(true).hotPageThreshold(77).hotPartitionRatio(0.25)
                .ioBackend(IoBackend.POSIX).useDirectIo(false).ioUringEnabled(false).ioUringQueueDepth(32)
                .walSyncMode(WalSyncMode.BATCH).writeBatchSize(64).walBatchMaxWait(Duration.ofNanos(250_000))
                .walFlushInterval(Duration.ofMillis(7)).walSegmentSize(32L << 20).maxWalSize(512L << 20)
                .maxActiveTransactions(123).transactionWaitTimeout(Duration.ofSeconds(3)).conflictRetryLimit(9)
                .conflictRetryDelay(Duration.ofNanos(1500)).maxVersionMemory(1L << 30).optimisticLocking(false)
                .build();
        Path f = TestDirs.fresh("config").resolve("c.json");
        c.writeTo(f);
        String text = Files.readString(f);
        for (ConfigField field : ConfigField.ALL) {
            assertTrue(text.contains("\"" + field.name + "\""), field.name + " written: " + text);
        }
        LightningDbConfig back = LightningDbConfig.fromFile(f);
        assertEquals(List.of(), back.differencesFrom(c));
        assertEquals(c.toString(), back.toString());
        assertTrue(text.contains("\"walBatchMaxWait\" : \"250us\""), text);
        assertTrue(c.differencesFrom(LightningDbConfig.defaults()).contains("cacheSize: 268435456 -> 3221225472"));
    }

    @Test
    void unitsPresetsAndCaseAreAccepted() {
        LightningDbConfig c = LightningDbConfig.fromJson("""
                {"preset": "write-heavy", "cacheSize": "512MiB", "walFlushInterval": "PT0.005S",
                 "conflictRetryDelay": "2.5ms", "cacheAlgorithm": "lru", "maxWalSize": 1073741824}""", SRC);
        assertEquals(512L << 20, c.cacheSize());
        assertEquals(Duration.ofMillis(5), c.walFlushInterval());
        assertEquals(Duration.ofNanos(2_500_000), c.conflictRetryDelay());
        assertEquals(CacheAlgorithm.LRU, c.cacheAlgorithm());
        assertEquals(WalSyncMode.BATCH, c.walSyncMode(), "from the preset");
        assertEquals(4096, c.writeBatchSize(), "from the preset");
        assertEquals(LightningDbConfig.defaults().toString(), LightningDbConfig.fromJson("{}", SRC).toString());
    }

    @Test
    void badFilesAreRefusedWithFileFieldAndAllowedValues() {
        assertProblem("{\"cacheSize\": 1000}", "cacheSize", "must be at least");
        assertProblem("{\"cachesize\": 1000}", "cachesize", "unknown field; the fields are preset, cacheSize");
        assertProblem("{\"pinHotPages\": \"yes\"}", "pinHotPages", "expected true or false, got \"yes\"");
        assertProblem("{\"pageSize\": 4096.5}", "pageSize", "expected a whole number");
        assertProblem("{\"cacheSize\": \"12 parsecs\"}", "cacheSize", "\"256MiB\"");
        assertProblem("{\"walFlushInterval\": 10}", "walFlushInterval", "a duration string like");
        assertProblem("{\"walSyncMode\": \"SOMETIMES\"}", "walSyncMode", "one of SYNC, BATCH, ASYNC");
        assertProblem("{\"maxActiveTransactions\": 0}", "maxActiveTransactions", "must be in [1, 1048576]");
        assertProblem("{\"hotPartitionRatio\": 2.0}", "hotPartitionRatio", "hotPartitionRatio");
        assertProblem("{\"preset\": \"turbo\"}", "preset", "unknown preset \"turbo\"; the presets are oltp, olap");
        assertProblem("{\"cacheSize\": \"99999999TiB\"}", "cacheSize", "too large");
        assertProblem("{\"pageSize\": 4096, \"pageSize\": 8192}", null, "Duplicate field 'pageSize'");
        assertProblem("[1, 2]", null, "must hold one JSON object of configuration fields, got array");
        assertProblem("", null, "must hold one JSON object of configuration fields, got nothing");
        assertProblem("{} {\"pageSize\": 8192}", null, "got an object followed by more");
        assertProblem("{\"pinHotPages\": [true]}", "pinHotPages", "expected true or false, got [...]");
        assertProblem("{\"cacheSize\": ", null, "is not valid JSON");
        ConfigFileException e = assertThrows(ConfigFileException.class,
                () -> LightningDbConfig.fromFile(Path.of("target/no-such-dir/none.json")));
        assertTrue(e.getMessage().startsWith("target/no-such-dir/none.json: cannot be read"), e.getMessage());
        assertNull(e.field());
    }

    static void assertProblem(String json, String field, String text) {
        ConfigFileException e = assertThrows(ConfigFileException.class, () -> LightningDbConfig.fromJson(json, SRC), json);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("test.json: " + (field == null ? "" : "field \"" + field + "\": ")),
                e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void everyFieldIsDocumented() throws Exception {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        for (ConfigField f : ConfigField.ALL) {
            assertTrue(doc.contains("| `" + f.name + "` |"), f.name + " has a row in docs/configuration.md");
        }
        for (Preset p : Preset.values()) {
            assertTrue(doc.contains("`" + p.fileName() + "`"), p.fileName() + " is described in docs/configuration.md");
        }
    }
}
