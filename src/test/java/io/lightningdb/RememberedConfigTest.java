package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The database remembers the configuration it was last opened with and reports what changed. */
class RememberedConfigTest {
    private static final LightningDbConfig SMALL = LightningDbConfig.builder().cacheSize(16L << 20).build();

    @Test
    void reopeningWithAnotherConfigListsEachChangedField() throws Exception {
        Path dir = TestDirs.fresh("remembered");
        try (Database db = Database.open(dir, SMALL)) {
            assertEquals(List.of(), db.configChanges(), "a new database has nothing to compare with");
            db.put("k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8));
        }
        Path file = dir.resolve(RememberedConfig.FILE_NAME);
        assertEquals(List.of(), SMALL.differencesFrom(LightningDbConfig.fromFile(file)), "the file holds the config");
        try (Database db = Database.open(dir, SMALL)) {
            assertEquals(List.of(), db.configChanges(), "same config, nothing changed");
        }
        LightningDbConfig other = SMALL.toBuilder().cacheSize(32L << 20).walSyncMode(WalSyncMode.ASYNC)
                .conflictRetryDelay(Duration.ofMillis(3)).build();
        try (Database db = Database.open(dir, other)) {
            assertEquals(List.of("cacheSize: 16777216 -> 33554432", "walSyncMode: SYNC -> ASYNC",
                    "conflictRetryDelay: 1ms -> 3ms"), db.configChanges());
        }
        try (Database db = Database.open(dir, SMALL)) {
            assertEquals(3, db.configChanges().size(), "compared with the last open, not the first: " + db.configChanges());
            assertTrue(db.configChanges().contains("cacheSize: 33554432 -> 16777216"), db.configChanges().toString());
        }
    }

    @Test
    void aDamagedRememberedFileIsReplacedNotFatal() throws Exception {
        Path dir = TestDirs.fresh("remembered-damaged");
        try (Database db = Database.open(dir, SMALL)) {
            db.put(new byte[] {1}, new byte[] {2});
        }
        Path file = dir.resolve(RememberedConfig.FILE_NAME);
        Files.writeString(file, "{\"cacheSize\": ");
        try (Database db = Database.open(dir, SMALL)) {
            assertEquals(List.of(), db.configChanges());
            assertEquals(2, db.get(new byte[] {1})[0]);
        }
        assertEquals(List.of(), SMALL.differencesFrom(LightningDbConfig.fromFile(file)), "rewritten whole");
    }

    @Test
    void aLeftoverConfigDoesNotMakeADirectoryForeignNorReportChanges() throws Exception {
        Path dir = TestDirs.fresh("remembered-leftover");
        LightningDbConfig.defaults().writeTo(dir.resolve(RememberedConfig.FILE_NAME));
        try (Database db = Database.open(dir, SMALL)) {
            assertFalse(db.wasReopened());
            assertEquals(List.of(), db.configChanges(), "the file a lost database left says nothing about this one");
        }
        Path foreign = TestDirs.fresh("remembered-foreign");
        Files.writeString(foreign.resolve("notes.txt"), "mine");
        assertThrows(NotADatabaseException.class, () -> Database.open(foreign, SMALL));
    }
}
