package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.btree.BTree;
import io.lightningdb.testing.TestDirs;
import static io.lightningdb.testing.TestBytes.bytes;
import static io.lightningdb.testing.TestBytes.filled;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Limits and bad input at the public API: every refusal is the documented exception type with a
 * message naming the argument, size, limit, field or file offset, and a refused call changes
 * nothing. Damaged files: {@link DamagedFileTest}.
 */
class DatabaseLimitsTest {
    private static final int PAGE = 4096;
    private static final int MAX_KEY = 1024;
    private final Path dir = TestDirs.fresh("limits");
    private final Path file = dir.resolve(Database.FILE_NAME);

    @AfterEach
    void cleanUp() throws IOException {
        TestDirs.deleteTree(dir);
    }


    private static <T extends Throwable> void assertMessage(Class<T> type, String message, Executable call) {
        T e = assertThrows(type, call);
        assertEquals(message, e.getMessage());
    }

    /** Every key and value, in order: what "nothing changed" is compared against. */
    private static List<String> contents(Database db) {
        List<String> out = new ArrayList<>();
        try (Cursor c = db.scan(null, null)) {
            while (c.next()) {
                out.add(Arrays.toString(c.key()) + "=" + Arrays.hashCode(c.value()) + "/" + c.value().length);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ keys

    @Test
    void keysOfZeroAndMaxPlusOneBytesAreRefusedByEveryOperation() {
        try (Database db = Database.open(dir); Arena arena = Arena.ofConfined()) {
            for (int len : new int[] {0, MAX_KEY + 1}) {
                String msg = "key of " + len + " bytes is outside [1, " + MAX_KEY + "] (maxKeySize " + MAX_KEY + ")";
                byte[] k = new byte[len];
                MemorySegment ks = arena.allocate(Math.max(len, 1)).asSlice(0, len);
                MemorySegment dst = arena.allocate(16);
                WriteBatch batch = db.newWriteBatch();
                Map<String, Executable> ops = new LinkedHashMap<>();
                ops.put("put", () -> db.put(k, bytes("v")));
                ops.put("get", () -> db.get(k));
                ops.put("delete", () -> db.delete(k));
                ops.put("contains", () -> db.contains(k));
                ops.put("put(segment)", () -> db.put(ks, MemorySegment.ofArray(bytes("v"))));
                ops.put("get(segment, dst)", () -> db.get(ks, dst));
                ops.put("get(segment, allocator)", () -> db.get(ks, arena));
                ops.put("batch.put", () -> batch.put(k, bytes("v")));
                ops.put("batch.delete", () -> batch.delete(k));
                ops.put("multiGet", () -> db.multiGet(List.of(bytes("ok"), k)));
                ops.forEach((name, op) -> {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, op, name);
                    assertEquals(msg, e.getMessage(), name);
                });
                assertEquals(0, batch.size(), "refused keys never enter the batch");
            }
            assertEquals(0, db.stats().keys());
        }
    }

    @Test
    void keysOfExactlyMaxKeySizeWorkThroughSplitsAndReopen() {
        Map<Integer, byte[]> values = new LinkedHashMap<>();
        try (Database db = Database.open(dir)) {
            for (int i = 0; i < 300; i++) {
                byte[] k = filled(MAX_KEY, i);
                byte[] v = filled(i % 3 == 0 ? 0 : i % 3 == 1 ? 8 : 3 * PAGE, 1000 + i); // inline and overflow
                db.put(k, v);
                values.put(i, v);
            }
            assertEquals(List.of(), db.verify());
        }
        try (Database db = Database.open(dir)) {
            assertTrue(db.stats().treeHeight() >= 3, "300 keys of a quarter page each build a tall tree");
            values.forEach((i, v) -> assertArrayEquals(v, db.get(filled(MAX_KEY, i)), "key " + i));
            assertEquals(300, contents(db).size());
        }
    }

    @Test
    void theKeyLimitIsTheFilesNotTheReopeningConfigs() {
        try (Database db = Database.open(dir, LightningDbConfig.builder().maxKeySize(100).build())) {
            db.put(new byte[100], bytes("v"));
            assertMessage(IllegalArgumentException.class, "key of 101 bytes is outside [1, 100] (maxKeySize 100)",
                    () -> db.put(new byte[101], bytes("v")));
        }
        try (Database db = Database.open(dir)) {
            assertMessage(IllegalArgumentException.class, "key of 101 bytes is outside [1, 100] (maxKeySize 100)",
                    () -> db.put(new byte[101], bytes("v")));
            assertArrayEquals(bytes("v"), db.get(new byte[100]));
        }
    }

    @Test
    void scanBoundsLongerThanAKeyCanBeAreRefused() {
        try (Database db = Database.open(dir)) {
            assertMessage(IllegalArgumentException.class, "fromInclusive of 1025 bytes exceeds maxKeySize 1024",
                    () -> db.scan(new byte[MAX_KEY + 1], null));
            assertMessage(IllegalArgumentException.class, "toExclusive of 1026 bytes exceeds maxKeySize 1024",
                    () -> db.scanReverse(null, new byte[MAX_KEY + 2]));
        }
    }

    // ------------------------------------------------------------------ values

    @Test
    void emptyAnd16MiBValuesRoundTripAlsoAfterReopen() {
        byte[] big = filled(16 << 20, 7);
        try (Database db = Database.open(dir)) {
            db.put(bytes("empty"), new byte[0]);
            db.put(bytes("big"), big);
            assertArrayEquals(new byte[0], db.get(bytes("empty")), "empty, not absent");
            assertTrue(db.contains(bytes("empty")));
            assertArrayEquals(big, db.get(bytes("big")));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment small = arena.allocate(16);
                assertEquals(big.length, db.get(MemorySegment.ofArray(bytes("big")), small), "length reported, nothing copied");
                assertEquals(0, db.get(MemorySegment.ofArray(bytes("empty")), small));
            }
        }
        try (Database db = Database.open(dir)) {
            assertArrayEquals(new byte[0], db.get(bytes("empty")));
            assertArrayEquals(big, db.get(bytes("big")));
            try (Cursor c = db.scan(null, null)) {
                assertTrue(c.next());
                assertArrayEquals(big, c.value(), "a cursor reads overflow values too");
            }
            long pages = db.stats().pages();
            db.put(bytes("big"), bytes("small now"));
            assertTrue(db.stats().freePages() >= (16 << 20) / PAGE, "the chain's pages are released: " + db.stats());
            db.put(bytes("big2"), big);
            assertTrue(db.stats().pages() < pages + 64, "released pages are reused: " + pages + " -> " + db.stats().pages());
            assertArrayEquals(big, db.get(bytes("big2")));
        }
    }

    @Test
    void aValueOverTheLimitIsRefusedBeforeAnyByteIsRead() {
        try (Database db = Database.open(dir)) {
            db.put(bytes("k"), bytes("before"));
            // A segment of 1 GiB + 1 at address 0: the check must refuse it without touching it.
            MemorySegment huge = MemorySegment.NULL.reinterpret(BTree.MAX_VALUE_SIZE + 1);
            assertMessage(IllegalArgumentException.class, "value of 1073741825 bytes exceeds the limit of 1073741824",
                    () -> db.put(MemorySegment.ofArray(bytes("k")), huge));
            assertArrayEquals(bytes("before"), db.get(bytes("k")));
        }
    }

    // ------------------------------------------------------------------ nulls

    @Test
    void nullArgumentsAreNullPointerExceptionsNamingTheArgument() throws Exception {
        try (Database db = Database.open(dir); Arena arena = Arena.ofConfined()) {
            MemorySegment k = MemorySegment.ofArray(bytes("k"));
            WriteBatch batch = db.newWriteBatch();
            Map<Executable, String> calls = new LinkedHashMap<>();
            calls.put(() -> db.put(null, bytes("v")), "key");
            calls.put(() -> db.put(bytes("k"), null), "value");
            calls.put(() -> db.get((byte[]) null), "key");
            calls.put(() -> db.delete(null), "key");
            calls.put(() -> db.contains(null), "key");
            calls.put(() -> db.put(null, k), "key");
            calls.put(() -> db.put(k, (MemorySegment) null), "value");
            calls.put(() -> db.get(null, arena.allocate(8)), "key");
            calls.put(() -> db.get(k, (MemorySegment) null), "dst");
            calls.put(() -> db.get(k, (Arena) null), "allocator");
            calls.put(() -> db.multiGet(null), "keys");
            calls.put(() -> db.multiGet(Arrays.asList(bytes("a"), null)), "keys[1]");
            calls.put(() -> db.write(null), "batch");
            calls.put(() -> batch.put(null, bytes("v")), "key");
            calls.put(() -> batch.put(bytes("k"), null), "value");
            calls.put(() -> batch.delete(null), "key");
            calls.put(() -> db.scanPrefix(null), "prefix");
            calls.put(() -> Database.open(null), "dir");
            calls.put(() -> Database.open(dir, null), "config");
            calls.forEach((call, name) -> assertEquals(name, assertThrows(NullPointerException.class, call).getMessage()));
            assertEquals(0, batch.size());
            assertEquals(0, db.stats().keys());
        }
    }

    // ------------------------------------------------------------------ after close

    @Test
    void everyOperationAfterCloseIsIllegalStateIncludingOpenCursors() {
        Database db = Database.open(dir);
        for (int i = 0; i < 1000; i++) {
            db.put(bytes("key" + i), bytes("value" + i));
        }
        WriteBatch batch = db.newWriteBatch().put(bytes("b"), bytes("v"));
        Cursor started = db.scan(null, null);
        assertTrue(started.next(), "a cursor with entries buffered");
        Cursor fresh = db.scanReverse(null, null);
        db.close();
        MemorySegment k = MemorySegment.ofArray(bytes("key1"));
        Map<String, Executable> ops = new LinkedHashMap<>();
        ops.put("get", () -> db.get(bytes("key1")));
        ops.put("get(segment, dst)", () -> db.get(k, MemorySegment.ofArray(new byte[16])));
        ops.put("get(segment, allocator)", () -> db.get(k, Arena.ofAuto()));
        ops.put("contains", () -> db.contains(bytes("key1")));
        ops.put("put", () -> db.put(bytes("key1"), bytes("v")));
        ops.put("put(segment)", () -> db.put(k, k));
        ops.put("delete", () -> db.delete(bytes("key1")));
        ops.put("multiGet", () -> db.multiGet(List.of(bytes("key1"))));
        ops.put("newWriteBatch", db::newWriteBatch);
        ops.put("write", () -> db.write(batch));
        ops.put("scan", () -> db.scan(null, null));
        ops.put("scanReverse", () -> db.scanReverse(null, null));
        ops.put("scanPrefix", () -> db.scanPrefix(bytes("key")));
        ops.put("stats", db::stats);
        ops.put("verify", db::verify);
        ops.put("resizeCache", () -> db.resizeCache(64L << 20));
        ops.put("flush", db::flush);
        ops.put("cursor.next (entries buffered)", started::next);
        ops.put("cursor.next (not started)", fresh::next);
        ops.forEach((name, op) -> assertEquals("database is closed",
                assertThrows(IllegalStateException.class, op, name).getMessage(), name));
        db.close(); // a second close is a no-op, as AutoCloseable recommends
        try (Database again = Database.open(dir)) {
            assertEquals(1000, again.stats().keys(), "nothing refused after close reached the file");
            assertNull(again.get(bytes("b")));
        }
    }

    // ------------------------------------------------------------------ config

    @Test
    void configBuildRefusesEachOutOfRangeFieldNamingFieldAndRange() {
        Map<UnaryOperator<LightningDbConfig.Builder>, String> cases = new LinkedHashMap<>();
        cases.put(b -> b.pageSize(6000), "pageSize must be a power of two in [4096, 65536], got 6000");
        cases.put(b -> b.pageSize(2048), "pageSize must be a power of two in [4096, 65536], got 2048");
        cases.put(b -> b.pageSize(131072), "pageSize must be a power of two in [4096, 65536], got 131072");
        cases.put(b -> b.pageSize(0), "pageSize must be a power of two in [4096, 65536], got 0");
        cases.put(b -> b.cacheSize((1L << 20) - 1),
                "cacheSize must be at least 1048576 bytes (1 MiB, and 64 pages of 4096 bytes), got 1048575");
        cases.put(b -> b.pageSize(65536).cacheSize(2L << 20),
                "cacheSize must be at least 4194304 bytes (1 MiB, and 64 pages of 65536 bytes), got 2097152");
        cases.put(b -> b.maxKeySize(1025), "maxKeySize must be in [1, 1024] (a quarter of pageSize 4096), got 1025");
        cases.put(b -> b.maxKeySize(0), "maxKeySize must be in [1, 1024] (a quarter of pageSize 4096), got 0");
        cases.put(b -> b.pageSize(8192).maxKeySize(2049), "maxKeySize must be in [1, 2048] (a quarter of pageSize 8192), got 2049");
        cases.put(b -> b.maxDatabaseSize((16L << 20) - 1),
                "maxDatabaseSize must be in [16777216, 70368744177664], got 16777215");
        cases.put(b -> b.maxDatabaseSize((64L << 40) + 1),
                "maxDatabaseSize must be in [16777216, 70368744177664], got 70368744177665");
        cases.put(b -> b.ioUringQueueDepth(0), "ioUringQueueDepth must be in [1, 4096], got 0");
        cases.put(b -> b.ioUringQueueDepth(4097), "ioUringQueueDepth must be in [1, 4096], got 4097");
        cases.put(b -> b.ioBackend(IoBackend.URING).ioUringEnabled(false), "ioBackend URING contradicts ioUringEnabled=false");
        cases.forEach((change, msg) -> assertMessage(IllegalArgumentException.class, msg,
                () -> change.apply(LightningDbConfig.builder()).build()));
        assertMessage(NullPointerException.class, "ioBackend", () -> LightningDbConfig.builder().ioBackend(null).build());
        // The edges themselves are accepted.
        LightningDbConfig edge = LightningDbConfig.builder().pageSize(65536).maxKeySize(16384).cacheSize(4L << 20)
                .maxDatabaseSize(16L << 20).ioUringQueueDepth(4096).build();
        assertEquals(16384, edge.maxKeySize());
        assertEquals(4096, LightningDbConfig.builder().pageSize(4096).build().pageSize());
    }

    @Test
    void resizeCacheBelowTheMinimumIsRefusedAndTheCacheKept() {
        try (Database db = Database.open(dir)) {
            long before = db.stats().cacheSize();
            assertMessage(IllegalArgumentException.class, "cacheSize must be at least 1048576 bytes, got 1000",
                    () -> db.resizeCache(1000));
            assertEquals(before, db.stats().cacheSize());
        }
    }

    // ------------------------------------------------------------------ refused writes change nothing

    @Test
    void aRefusedWriteChangesNothingAndABatchIsNeverHalfApplied() {
        try (Database db = Database.open(dir)) {
            for (int i = 0; i < 100; i++) {
                db.put(bytes("k" + i), bytes("v" + i));
            }
            List<String> before = contents(db);
            assertThrows(IllegalArgumentException.class, () -> db.put(new byte[MAX_KEY + 1], bytes("v")));
            assertThrows(IllegalArgumentException.class, () -> db.delete(new byte[0]));
            assertThrows(NullPointerException.class, () -> db.put(bytes("k1"), null));
            assertThrows(IllegalArgumentException.class,
                    () -> db.put(MemorySegment.ofArray(bytes("k1")), MemorySegment.NULL.reinterpret(BTree.MAX_VALUE_SIZE + 1)));
            assertEquals(before, contents(db));

            WriteBatch batch = db.newWriteBatch().put(bytes("k1"), bytes("changed")).delete(bytes("k2"));
            assertThrows(IllegalArgumentException.class, () -> batch.put(new byte[MAX_KEY + 1], bytes("v")));
            assertThrows(IllegalArgumentException.class, () -> batch.delete(new byte[0]));
            assertEquals(2, batch.size(), "the refused entries were not added");
            assertEquals(before, contents(db), "nothing reaches the database before write");
            db.write(batch);
            assertArrayEquals(bytes("changed"), db.get(bytes("k1")));
            assertNull(db.get(bytes("k2")));
            assertEquals(99, db.stats().keys());
        }
    }

    @Test
    void aBatchThatFillsTheDatabaseIsUndoneWhole() {
        LightningDbConfig small = LightningDbConfig.builder().maxDatabaseSize(16L << 20).cacheSize(8L << 20).build();
        byte[] sixMiB = filled(6 << 20, 3);
        List<String> before;
        try (Database db = Database.open(dir, small)) {
            for (int i = 0; i < 100; i++) {
                db.put(bytes("k" + i), bytes("v" + i));
            }
            before = contents(db);
            WriteBatch batch = db.newWriteBatch().put(bytes("k1"), sixMiB).delete(bytes("k2")).put(bytes("a"), sixMiB)
                    .put(bytes("b"), sixMiB);
            LightningDbException e = assertThrows(LightningDbException.class, () -> db.write(batch));
            assertTrue(e.getMessage().endsWith(file + ": database full: maxDatabaseSize 16777216 bytes reached"), e.getMessage());
            assertEquals(before, contents(db), "the batch's applied part was undone");
            assertEquals(List.of(), db.verify());
            LightningDbException single = assertThrows(LightningDbException.class, () -> db.put(bytes("c"), filled(17 << 20, 4)));
            assertTrue(single.getMessage().contains("database full"), single.getMessage());
            assertEquals(before, contents(db));
            db.put(bytes("after"), sixMiB); // the pages of the refused writes are free again
            assertArrayEquals(sixMiB, db.get(bytes("after")));
            db.delete(bytes("after"));
        }
        try (Database db = Database.open(dir, small)) {
            assertEquals(before, contents(db));
        }
    }

    @Test
    void aDirectoryPathThatIsAFileIsRefusedNamingIt() throws IOException {
        Path notADir = dir.resolve("plain-file");
        Files.writeString(notADir, "x");
        LightningDbException e = assertThrows(LightningDbException.class, () -> Database.open(notADir));
        assertFalse(e instanceof CorruptDatabaseException);
        assertTrue(e.getMessage().contains(notADir.toString()), e.getMessage());
    }
}
