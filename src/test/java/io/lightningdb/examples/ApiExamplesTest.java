package io.lightningdb.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Javadoc examples run, and do what their comments say. */
class ApiExamplesTest {
    private static final LightningDbConfig SMALL = LightningDbConfig.builder().cacheSize(8L << 20).build();

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void databaseExamples() throws Exception {
        Path dir = TestDirs.fresh("examples-db");
        DatabaseExamples.openPutGetScan(dir);
        DatabaseExamples.recovery(dir);
        DatabaseExamples.locked(dir);
        try (Database db = Database.open(dir, SMALL)) {
            assertArrayEquals(b("world"), db.get(b("hello")));
            db.put(b("n1"), TransactionExamples.encode(5));
            db.put(b("n2"), TransactionExamples.encode(7));
            assertEquals(16, DatabaseExamples.scanSum(db, b("n"), b("o")));
            long[] parallel = DatabaseExamples.parallelScan(db);
            assertEquals(3, parallel[0], "hello, n1, n2");
            assertEquals(5 + 5 + 2 + 8 + 2 + 8, parallel[1]);
            assertEquals(3, parallel[2]);
            long native1 = MemorySegment.ofArray(db.get(b("n1"))).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            long native2 = MemorySegment.ofArray(db.get(b("n2"))).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            assertEquals(native1 + native2, DatabaseExamples.scanSegments(db, b("n"), b("o")));
            db.put(b("pending"), b("x"));
            DatabaseExamples.batch(db, b("from"), b("to"), b("90"), b("110"), b("pending"));
            assertArrayEquals(b("90"), db.get(b("from")));
            assertArrayEquals(b("110"), db.get(b("to")));
            assertNull(db.get(b("pending")));
            assertFalse(DatabaseExamples.space(db), "a small fresh database has too few free slots to compact");
            assertTrue(DatabaseExamples.compact(db) >= 0);
            DatabaseExamples.compactWithProgress(db);
        }
    }

    @Test
    void transactionExamples() {
        try (Database db = Database.open(TestDirs.fresh("examples-tx"), SMALL)) {
            db.put(b("alice"), TransactionExamples.encode(100));
            TransactionExamples.transfer(db, b("alice"), b("bob"));
            assertEquals(90, TransactionExamples.decode(db.get(b("alice"))));
            assertEquals(10, TransactionExamples.decode(db.get(b("bob"))));
            TransactionExamples.increment(db, b("counter"));
            TransactionExamples.incrementForUpdate(db, b("counter"));
            assertEquals(2, TransactionExamples.decode(db.get(b("counter"))));
            TransactionExamples.body(db, b("k"), b("v"));
            assertArrayEquals(b("v"), db.get(b("k")));
            assertEquals(90, TransactionExamples.function(db, b("alice")));
            db.put(b("acct:1"), TransactionExamples.encode(3));
            db.put(b("acct:2"), TransactionExamples.encode(4));
            assertEquals(7, TransactionExamples.readOnly(db, b("acct:")));
            TransactionExamples.serializable(db, b("oncall:1"), b("oncall:2"), b("me"));
            assertArrayEquals(b("me"), db.get(b("oncall:1")));
            TransactionExamples.conflict(db, b("c"), b("1"));
            assertArrayEquals(b("1"), db.get(b("c")));
            TransactionExamples.tooOld(db, b("acct:"));
        }
    }

    @Test
    void configExamples() throws Exception {
        Path dir = TestDirs.fresh("examples-config");
        ConfigExamples.builder(dir);
        assertTrue(Files.exists(dir.resolve(Database.FILE_NAME)));
        assertEquals("ARC", ConfigExamples.cacheAlgorithm().cacheAlgorithm().name());
        assertEquals("POSIX", ConfigExamples.ioBackend().ioBackend().name());
        List<LightningDbConfig> modes = ConfigExamples.syncModes();
        assertEquals(List.of(WalSyncMode.SYNC, WalSyncMode.BATCH, WalSyncMode.ASYNC),
                modes.stream().map(LightningDbConfig::walSyncMode).toList());
        assertTrue(ConfigExamples.numa().enableNumaAwareness());
        assertEquals(256L << 20, ConfigExamples.preset().cacheSize());
        Path file = dir.resolveSibling("examples-config.json");
        Files.writeString(file, "{\"preset\": \"oltp\", \"cacheSize\": \"64MiB\", \"walFlushInterval\": \"5ms\"}");
        assertEquals(64L << 20, ConfigExamples.fromFile(file).cacheSize());
        Files.writeString(file, "{\"cacheSize\": \"1KiB\"}");
        ConfigExamples.badFile(file);
        ConfigExamples.capabilities(dir);
        try (Database db = Database.open(dir, SMALL)) {
            ConfigExamples.stats(db);
        }
    }
}
