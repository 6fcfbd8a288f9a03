package io.lightningdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.Preset;
import io.lightningdb.WalSyncMode;
import io.lightningdb.io.IoConfig;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every data command against a real database directory, its output and exit code asserted. */
class CliCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir = TestDirs.fresh("cli");
    private final String db = dir.resolve("db").toString();

    @AfterEach
    void cleanUp() throws Exception {
        TestDirs.deleteTree(dir);
    }

    static String out(int exit, String... args) {
        return MainTest.run(exit, args)[0];
    }

    static String err(int exit, String... args) {
        return MainTest.run(exit, args)[1].strip();
    }

    @Test
    void putGetDeleteAsTextAndHex() {
        assertEquals("", out(0, "put", "--db", db, "user:1", "Ada Lovelace"));
        assertEquals("Ada Lovelace\n", out(0, "get", "--db", db, "user:1"));
        assertEquals("lightning get: no key 'user:2' in " + db, err(3, "get", "--db", db, "user:2"));
        out(0, "put", "--db", db, "--hex", "0x00ff", "c3");
        out(0, "put", "--db", db, "--hex", "30306666", "c3");   // the text key "00ff", a value that is not UTF-8
        assertEquals("c3\n", out(0, "get", "--db", db, "--hex", "00FF"));
        assertEquals("lightning get: the value of '00ff' (1 bytes) is not UTF-8 text; use --hex to print its bytes",
                err(1, "get", "--db", db, "00ff"));
        assertTrue(err(64, "get", "--db", db, "--hex", "0g").startsWith("lightning get: KEY '0g' is not hex"));
        assertTrue(err(64, "put", "--db", db, "--hex", "abc", "00").contains("an odd number of digits"));
        assertEquals("deleted\n", out(0, "delete", "--db", db, "user:1"));
        assertEquals("absent\n", out(0, "delete", "--db", db, "user:1"));
        assertEquals("", out(3, "get", "--db", db, "user:1"));
    }

    @Test
    void readCommandsNeverCreateADatabase() {
        String none = dir.resolve("none").toString();
        for (String cmd : List.of("get", "delete")) {
            assertEquals("lightning " + cmd + ": " + none + ": no database here (no lightning.db); pass --db DIR to name "
                    + "the directory of one", err(1, cmd, "--db", none, "k"));
        }
        for (String cmd : List.of("scan", "stats", "check", "compact")) {
            assertTrue(err(1, cmd, "--db", none).endsWith("no database here (no lightning.db); pass --db DIR to name "
                    + "the directory of one"));
        }
        assertFalse(Files.exists(Path.of(none)), "no directory was made");
    }

    private void load() {
        try (Database d = Database.open(Path.of(db), LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).build())) {
            for (String k : List.of("a1", "a2", "a3", "b1", "b2")) {
                d.put(bytes(k), bytes("v-" + k));
            }
            d.put(bytes("c\ttab"), bytes("line\nbreak\\"));
            d.put(new byte[] {'d', (byte) 0xff}, new byte[] {0, 1});
        }
    }

    @Test
    void scanInEveryFormatRangePrefixLimitAndReverse() throws Exception {
        load();
        assertEquals("a1\tv-a1\na2\tv-a2\na3\tv-a3\nb1\tv-b1\nb2\tv-b2\nc\\ttab\tline\\nbreak\\\\\nd\\xff\t\\x00\\x01\n",
                out(0, "scan", "--db", db));
        assertEquals("a2\tv-a2\na3\tv-a3\nb1\tv-b1\n", out(0, "scan", "--db", db, "--from", "a2", "--to", "b2"));
        assertEquals("a3\tv-a3\na2\tv-a2\n", out(0, "scan", "--db", db, "--from", "a2", "--to", "b1", "--reverse"));
        assertEquals("b1\tv-b1\nb2\tv-b2\n", out(0, "scan", "--db", db, "--prefix", "b"));
        assertEquals("b2\tv-b2\n", out(0, "scan", "--db", db, "--prefix", "b", "--reverse", "--limit", "1"));
        assertEquals("a1\tv-a1\na2\tv-a2\n", out(0, "scan", "--db", db, "--limit", "2"));
        assertEquals("", out(0, "scan", "--db", db, "--limit", "0"));
        assertEquals("6131\t762d6131\n", out(0, "scan", "--db", db, "--format", "hex", "--limit", "1"));
        assertEquals("64ff\t0001\n", out(0, "scan", "--db", db, "--format", "hex", "--hex", "--prefix", "64"));
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out(0, "scan", "--db", db, "--format", "json").split("\n")) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(7, lines.size());
        assertEquals("a1", lines.get(0).get("key").asText());
        assertEquals("v-a1", lines.get(0).get("value").asText());
        assertEquals("line\nbreak\\", lines.get(5).get("value").asText());
        assertEquals("64ff", lines.get(6).get("keyHex").asText(), "bytes that are not UTF-8 as hex");
        assertEquals("\0\1", lines.get(6).get("value").asText(), "control characters are text, escaped by JSON");
        assertEquals("lightning scan: --prefix excludes --from and --to; see 'lightning scan --help'",
                err(64, "scan", "--db", db, "--prefix", "a", "--from", "a"));
        assertTrue(err(64, "scan", "--db", db, "--format", "xml").contains("Invalid value for option '--format'"));
    }

    @Test
    void statsAsTextAndJson() throws Exception {
        load();
        String text = out(0, "stats", "--db", db);
        assertTrue(text.startsWith("keys: 7\n"), text);
        assertTrue(text.contains("\ncapabilities:\n  ioBackend: "), text);
        assertTrue(text.contains("\ntransactions:\n  active: 0\n"), text);
        JsonNode j = JSON.readTree(out(0, "stats", "--db", db, "--json"));
        assertEquals(7, j.get("keys").asLong());
        assertEquals(4096, j.get("pageSize").asInt());
        assertTrue(j.get("capabilities").get("libc").get("available").isBoolean(), j.toString());
        assertEquals(0, j.get("transactions").get("oldestSnapshotAgeNanos").asLong());
        assertTrue(j.get("durability").get("syncMode").isTextual(), j.toString());
    }

    @Test
    void checkPassesOnASoundDatabaseAndNamesTheDamagedPage() throws Exception {
        try (Database d = Database.open(Path.of(db), LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).build())) {
            for (int i = 0; i < 3000; i++) {
                d.put(bytes(String.format("key%06d", i)), new byte[100]);
            }
        }
        String ok = out(0, "check", "--db", db);
        assertTrue(ok.startsWith("ok: 3,000 keys, "), ok);
        Path file = Path.of(db, Database.FILE_NAME);
        long leafAt = leafOffset(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x5a, 0x5a}), leafAt + 1000);
        }
        String damaged = out(2, "check", "--db", db);
        assertTrue(damaged.startsWith("damaged: " + file.toAbsolutePath() + ": page ")
                || damaged.startsWith("damaged: " + file + ": page "), damaged);
        assertTrue(damaged.contains(" at offset " + leafAt + " is corrupt: stored CRC32C"), damaged);
    }

    /** The file offset of a leaf page, from the last checkpoint's page table. */
    private static long leafOffset(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        long maxPages = LightningDbConfig.defaults().maxDatabaseSize() / 4096;
        try (PageFile f = PageFile.open(file, IoConfig.defaults(), maxPages, 1L << 20)) {
            for (long pid = 1; pid < f.pageCount(); pid++) {
                long slot = f.slotOf(pid);
                if (slot != 0 && all[(int) (slot * 4096 + PageTypes.TYPE_OFFSET)] == PageTypes.LEAF) {
                    return slot * 4096;
                }
            }
        }
        throw new AssertionError("no leaf in " + file);
    }

    @Test
    void helpOnEveryCommandAndUsageErrors() {
        for (String cmd : List.of("get", "put", "delete", "scan", "stats", "check", "compact", "config", "bench", "demo", "selfcheck")) {
            String help = out(0, cmd, "--help");
            assertTrue(help.startsWith("Usage: lightning " + cmd), help);
        }
        for (String sub : List.of("show", "validate", "apply", "preset")) {
            assertTrue(out(0, "config", sub, "--help").startsWith("Usage: lightning config " + sub));
        }
        String usage = err(64);
        assertTrue(usage.startsWith("Usage: lightning"), usage);
        assertTrue(out(0, "--version").startsWith("Lightning DB "));
        assertTrue(err(64, "get", "--db", db, "--frob", "k").startsWith("lightning get: Unknown option: '--frob'"));
        assertEquals("lightning get: unknown preset 'turbo'; the presets are " + Preset.names()
                + "; see 'lightning get --help'", err(64, "get", "--db", db, "--preset", "turbo", "k"));
        assertTrue(err(64, "get", "--db", db, "--preset", "oltp", "--config", "x.json", "k")
                .startsWith("lightning get: --config and --preset exclude each other"));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
