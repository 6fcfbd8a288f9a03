package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.pagefile.Superblock;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * {@link DatabaseStats#space()}: the live byte count is exact through every kind of write, survives
 * a reopen, is rebuilt for a file that never recorded it, and the file figures are the files'.
 */
class SpaceStatsTest {
    private static final int KEYS = 3_000;

    private static LightningDbConfig config() {
        return LightningDbConfig.builder().pageSize(4096).cacheSize(8L << 20).maxDatabaseSize(1L << 30).build();
    }

    /** Key bytes -> value length, the model the count must match. */
    private static final class Model {
        final Map<String, Integer> lengths = new HashMap<>();

        void put(byte[] key, byte[] value) {
            lengths.put(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1), value.length);
        }

        void delete(byte[] key) {
            lengths.remove(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1));
        }

        long liveBytes() {
            long sum = 0;
            for (Map.Entry<String, Integer> e : lengths.entrySet()) {
                sum += e.getKey().length() + e.getValue();
            }
            return sum;
        }
    }

    /** One of {@link #KEYS} keys, 4 to 23 bytes long; a key's bytes depend on its id only. */
    private static byte[] key(SplittableRandom r) {
        int id = r.nextInt(KEYS);
        byte[] k = new byte[4 + id % 20];
        k[0] = (byte) (id >>> 24);
        k[1] = (byte) (id >>> 16);
        k[2] = (byte) (id >>> 8);
        k[3] = (byte) id;
        for (int i = 4; i < k.length; i++) {
            k[i] = (byte) (id * 31 + i);
        }
        return k;
    }

    /** Small, mid-size inline and overflow values, so every value path is counted. */
    private static byte[] value(SplittableRandom r) {
        int kind = r.nextInt(10);
        int len = kind < 6 ? r.nextInt(120) : kind < 9 ? 200 + r.nextInt(1300) : 2000 + r.nextInt(9000);
        byte[] v = new byte[len];
        r.nextBytes(v);
        return v;
    }

    private static void churn(Database db, Model m, SplittableRandom r, int ops) {
        for (int i = 0; i < ops; i++) {
            int what = r.nextInt(10);
            if (what < 5) {
                byte[] k = key(r);
                byte[] v = value(r);
                db.put(k, v);
                m.put(k, v);
            } else if (what < 7) {
                byte[] k = key(r);
                db.delete(k);
                m.delete(k);
            } else if (what < 9) {
                WriteBatch b = db.newWriteBatch();
                Model staged = stage(m, r, 1 + r.nextInt(60), 4, b::put, b::delete);
                db.write(b);
                m.lengths.clear();
                m.lengths.putAll(staged.lengths);
            } else {
                try (Transaction tx = db.begin()) {
                    Model staged = stage(m, r, 1 + r.nextInt(8), 3, tx::put, tx::delete);
                    if (r.nextBoolean()) {
                        tx.commit();
                        m.lengths.clear();
                        m.lengths.putAll(staged.lengths);
                    } else {
                        tx.rollback();
                    }
                }
            }
        }
    }

    /** {@code n} random writes (one in {@code deleteOneIn} a delete) given to a batch or transaction. */
    private static Model stage(Model m, SplittableRandom r, int n, int deleteOneIn,
            BiConsumer<byte[], byte[]> put, Consumer<byte[]> delete) {
        Model staged = new Model();
        staged.lengths.putAll(m.lengths);
        for (int j = 0; j < n; j++) {
            byte[] k = key(r);
            if (r.nextInt(deleteOneIn) == 0) {
                delete.accept(k);
                staged.delete(k);
            } else {
                byte[] v = value(r);
                put.accept(k, v);
                staged.put(k, v);
            }
        }
        return staged;
    }

    @Test
    void liveBytesIsExactThroughPutsDeletesBatchesAndTransactions() throws Exception {
        long seed = Seeds.seed("SpaceStatsTest.liveBytesIsExact");
        SplittableRandom r = new SplittableRandom(seed);
        Path dir = TestDirs.fresh("space-stats");
        Model m = new Model();
        try (Database db = Database.open(dir, config())) {
            assertEquals(0, db.stats().space().liveBytes(), "an empty database holds nothing");
            assertEquals(0.0, db.stats().space().amplification(), "no ratio without data");
            for (int round = 0; round < 4; round++) {
                churn(db, m, r, 2_000);
                SpaceStats s = db.stats().space();
                assertEquals(m.liveBytes(), s.liveBytes(), "seed " + seed + " round " + round);
                if (round == 1) {
                    db.checkpoint();
                }
            }
            assertEquals(List.of(), db.verify());
            SpaceStats s = db.stats().space();
            assertEquals(Files.size(dir.resolve(Database.FILE_NAME)), s.dataFileBytes(), "the data file's length");
            assertTrue(s.logFileBytes() > 0, "an open database has a log segment: " + s);
            assertTrue(s.freePageBytes() % 4096 == 0 && s.freePageBytes() >= 0
                    && s.freePageBytes() < s.dataFileBytes(), "free slots of the file at the page size: " + s);
            assertEquals((double) s.dataFileBytes() / s.liveBytes(), s.dataAmplification(), 1e-9);
            assertEquals((double) (s.dataFileBytes() + s.logFileBytes()) / s.liveBytes(), s.amplification(), 1e-9);
        }
        try (Database db = Database.open(dir, config())) {
            assertEquals(m.liveBytes(), db.stats().space().liveBytes(), "seed " + seed + ": after a reopen");
            churn(db, m, r, 500);
            assertEquals(m.liveBytes(), db.stats().space().liveBytes(), "seed " + seed + ": writes after a reopen");
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aCleanCloseLeavesAnEmptyLogHoweverLongTheLogSinceTheCheckpointBefore() throws Exception {
        Path dir = TestDirs.fresh("space-stats-close");
        LightningDbConfig c = LightningDbConfig.builder().pageSize(4096).cacheSize(8L << 20)
                .maxDatabaseSize(1L << 30).walSegmentSize(64L << 10).maxWalSize(64L << 20).build();
        byte[] value = new byte[1000];
        try (Database db = Database.open(dir, c)) {
            for (int i = 0; i < 3_000; i++) {
                db.put(("k" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
            }
            db.checkpoint();
            // 2 MB of log after the last checkpoint: before close, the log holds all of it.
            for (int i = 0; i < 2_000; i++) {
                db.put(("k" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8), value);
            }
            assertTrue(db.stats().space().logFileBytes() > 1_500_000, "the log since the checkpoint: " + db.stats().space());
        }
        long logBytes = 0;
        try (var files = Files.list(dir.resolve("wal"))) {
            for (Path f : files.toList()) {
                logBytes += Files.size(f);
            }
        }
        assertEquals(8192, logBytes, "a closed database keeps one empty segment, a header and an end mark");
        try (Database db = Database.open(dir, c)) {
            assertEquals(0, db.stats().durability().logBytesSinceCheckpoint(), "nothing to replay");
            assertEquals(3_000, db.stats().keys());
            assertEquals(0, db.recovery().records(), "a clean close: nothing replayed");
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aFileThatNeverRecordedTheCountHasItRebuiltByAWalk() throws Exception {
        long seed = Seeds.seed("SpaceStatsTest.rebuilt");
        SplittableRandom r = new SplittableRandom(seed);
        Path dir = TestDirs.fresh("space-stats-old");
        Model m = new Model();
        try (Database db = Database.open(dir, config())) {
            churn(db, m, r, 3_000);
        }
        Path file = dir.resolve(Database.FILE_NAME);
        Superblock sb = Superblock.read(file);
        assertEquals(m.liveBytes(), sb.liveBytes(), "a clean close records the count");
        writeSuperblock(file, withLiveBytes(sb, Superblock.LIVE_BYTES_UNKNOWN));
        assertEquals(Superblock.LIVE_BYTES_UNKNOWN, Superblock.read(file).liveBytes(), "the flag is clear");
        try (Database db = Database.open(dir, config())) {
            assertEquals(m.liveBytes(), db.stats().space().liveBytes(), "seed " + seed + ": counted by the walk");
            assertEquals(List.of(), db.verify());
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aWrongRecordedCountIsFoundByVerifyAndANegativeOneIsRefused() throws Exception {
        Path dir = TestDirs.fresh("space-stats-wrong");
        Model m = new Model();
        try (Database db = Database.open(dir, config())) {
            churn(db, m, new SplittableRandom(7), 1_000);
        }
        Path file = dir.resolve(Database.FILE_NAME);
        Superblock sb = Superblock.read(file);
        writeSuperblock(file, withLiveBytes(sb, sb.liveBytes() + 5));
        try (Database db = Database.open(dir, config())) {
            List<String> problems = db.verify();
            assertEquals(1, problems.size(), problems.toString());
            assertTrue(problems.getFirst().contains(Long.toString(sb.liveBytes() + 5))
                    && problems.getFirst().contains(Long.toString(sb.liveBytes())), problems.getFirst());
        }
        // Both copies say -1 with the flag set: no copy to fall back to, so the open is refused.
        Superblock now = Superblock.read(file);
        writeNegative(file, now);
        writeNegative(file, new Superblock(now.pageSize(), now.sequence() - 1, now.checkpointLsn(), now.rootPage(),
                now.treeHeight(), now.keyCount(), now.maxKeySize(), now.pidCount(), now.slotCount(), now.tableHead(),
                now.tableChunks(), now.liveBytes()));
        CorruptDatabaseException e = assertThrows(CorruptDatabaseException.class, () -> Database.open(dir, config()));
        assertTrue(e.getMessage().contains("at offset " + Superblock.LIVE_BYTES_OFFSET + ": live byte count -1"),
                e.getMessage());
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
        TestDirs.deleteTree(dir);
    }

    private static Superblock withLiveBytes(Superblock s, long liveBytes) {
        return new Superblock(s.pageSize(), s.sequence(), s.checkpointLsn(), s.rootPage(), s.treeHeight(), s.keyCount(),
                s.maxKeySize(), s.pidCount(), s.slotCount(), s.tableHead(), s.tableChunks(), liveBytes);
    }

    private static void writeSuperblock(Path file, Superblock sb) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            MemorySegment page = arena.allocate(Superblock.SIZE);
            sb.encode(page);
            ch.write(page.asByteBuffer(), sb.fileOffset());
        }
    }

    /** {@code sb} with the flag set and a count of -1, checksummed so only the count is wrong. */
    private static void writeNegative(Path file, Superblock sb) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            MemorySegment page = arena.allocate(Superblock.SIZE);
            sb.encode(page);
            page.set(ValueLayout.JAVA_INT_UNALIGNED, Superblock.FLAGS_OFFSET, Superblock.FLAG_LIVE_BYTES);
            page.set(ValueLayout.JAVA_LONG_UNALIGNED, Superblock.LIVE_BYTES_OFFSET, -1L);
            CRC32C crc = new CRC32C();
            crc.update(page.asSlice(0, Superblock.CRC_OFFSET).asByteBuffer());
            page.set(ValueLayout.JAVA_INT_UNALIGNED, Superblock.CRC_OFFSET, (int) crc.getValue());
            ch.write(page.asByteBuffer(), sb.fileOffset());
        }
    }
}
