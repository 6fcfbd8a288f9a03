package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.SparseData;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Database#compact}: the file shrinks to about its data, and nothing is lost or broken. */
class CompactionTest {
    private static final int PAGE = 4096;

    static LightningDbConfig config() {
        return LightningDbConfig.builder().pageSize(PAGE).cacheSize(8L << 20).maxDatabaseSize(1L << 30).build();
    }

    private static long fileSize(Path dir) throws Exception {
        return Files.size(dir.resolve(Database.FILE_NAME));
    }

    /** Progress reports of one compaction, checked for the listener's contract. */
    private static final class Reports implements ProgressListener {
        final List<long[]> calls = new ArrayList<>();

        @Override
        public void progress(long done, long total) {
            calls.add(new long[] {done, total});
        }

        void check() {
            assertTrue(!calls.isEmpty(), "the listener was never called");
            long total = calls.getFirst()[1];
            long last = 0;
            for (long[] c : calls) {
                assertEquals(total, c[1], "total changed between calls");
                assertTrue(c[0] >= last && c[0] <= total, "done " + c[0] + " after " + last + " of " + total);
                last = c[0];
            }
            assertEquals(total, calls.getLast()[0], "the last call has done == total");
        }
    }

    @Test
    void compactionGivesBackTheSpaceOfDeletedData() throws Exception {
        long seed = Seeds.seed("CompactionTest.compactionGivesBackTheSpaceOfDeletedData");
        Path dir = TestDirs.fresh("compact-shrink");
        SparseData data = new SparseData(30_000, seed);
        CompactionReport r;
        Reports reports = new Reports();
        try (Database db = Database.open(dir, config())) {
            data.load(db, 1);
            db.checkpoint();
            long loaded = fileSize(dir);
            data.deleteMost(db, 0.9);
            db.checkpoint();
            long before = fileSize(dir);
            assertTrue(before >= loaded, "the file shrank without compaction: " + loaded + " -> " + before);
            r = db.compact(reports);
            long live = data.liveBytes();
            System.out.printf("compaction: %,d keys, %,d live bytes, file %,d -> %,d bytes, %,d pages moved, %d ms%n",
                    data.liveKeys(), live, r.fileBytesBefore(), r.fileBytesAfter(), r.pagesMoved(),
                    r.duration().toMillis());
            assertEquals(before, r.fileBytesBefore(), "fileBytesBefore");
            assertEquals(fileSize(dir), r.fileBytesAfter(), "fileBytesAfter is the file's size");
            assertEquals(r.fileBytesBefore() - r.fileBytesAfter(), r.bytesReclaimed());
            // Leaves are kept at least a quarter full by merges, overflow pages are full: the file
            // needs at most ~4x the live data, plus inner nodes and table pages.
            assertTrue(r.fileBytesAfter() < 4 * live + (2L << 20), "file after " + r.fileBytesAfter()
                    + " bytes for " + live + " live bytes");
            assertTrue(r.fileBytesAfter() < before / 3, "file " + before + " -> " + r.fileBytesAfter());
            assertTrue(r.pagesMoved() > 0, "pages moved");
            reports.check();
            assertEquals(List.of(), db.verify());
            data.check(db, "after compact");
        }
        try (Database db = Database.open(dir, config())) {
            assertTrue(fileSize(dir) <= r.fileBytesAfter() + 4L * PAGE, "reopened file " + fileSize(dir));
            assertEquals(List.of(), db.verify());
            data.check(db, "reopened");
            // Writes after compaction reuse the low slots and survive reopening.
            data.load(db, 2);
            data.deleteMost(db, 0.5);
            data.check(db, "rewritten");
        }
        try (Database db = Database.open(dir, config())) {
            assertEquals(List.of(), db.verify());
            data.check(db, "rewritten, reopened");
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void aFreshOrCompactDatabaseReclaimsNothingAndStaysSound() throws Exception {
        long seed = Seeds.seed("CompactionTest.aFreshOrCompactDatabaseReclaimsNothingAndStaysSound");
        Path dir = TestDirs.fresh("compact-noop");
        try (Database db = Database.open(dir, config())) {
            Reports reports = new Reports();
            CompactionReport fresh = db.compact(reports);
            reports.check();
            assertTrue(Math.abs(fresh.bytesReclaimed()) <= 4L * PAGE, "fresh: " + fresh);
            assertEquals(fileSize(dir), fresh.fileBytesAfter());
            assertEquals(List.of(), db.verify());

            SparseData data = new SparseData(3_000, seed);
            data.load(db, 1);
            CompactionReport first = db.compact();
            CompactionReport second = db.compact();
            assertTrue(Math.abs(second.bytesReclaimed()) <= 4L * PAGE, "second in a row: " + second);
            assertTrue(second.pagesMoved() <= 8, "second in a row moved " + second.pagesMoved() + " pages");
            assertEquals(first.fileBytesAfter(), second.fileBytesBefore());
            assertEquals(List.of(), db.verify());
            data.check(db, "compacted twice");
            db.put(SparseData.key(1), new byte[] {7});
            assertArrayEquals(new byte[] {7}, db.get(SparseData.key(1)));
        }
        try (Database db = Database.open(dir, config())) {
            assertEquals(List.of(), db.verify());
            assertArrayEquals(new byte[] {7}, db.get(SparseData.key(1)));
        }
        TestDirs.deleteTree(dir);
    }

    @Test
    void readersWritersAndAnOpenCursorRunThroughACompaction() throws Exception {
        long seed = Seeds.seed("CompactionTest.readersWritersAndAnOpenCursorRunThroughACompaction");
        Path dir = TestDirs.fresh("compact-concurrent");
        SparseData data = new SparseData(20_000, seed);
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        try (Database db = Database.open(dir, config())) {
            data.load(db, 1);
            data.deleteMost(db, 0.9);
            db.checkpoint();
            long before = fileSize(dir);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                SplittableRandom rnd = new SplittableRandom(seed + t);
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            int i = rnd.nextInt(data.size());
                            byte[] got = db.get(SparseData.key(i));
                            if (data.present(i)) {
                                assertArrayEquals(data.expected(i), got, "key " + i + " during compaction");
                            } else {
                                assertNull(got, "deleted key " + i + " during compaction");
                            }
                            reads.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        db.put(writerKey(i), SparseData.value(i, 9, 300 + i % 5000));
                        if (i % 3 == 0) {
                            db.delete(writerKey(i / 3));
                        }
                        written.set(i + 1);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
            // A cursor half way through the data, left open across the compaction.
            int half = 0;
            try (Cursor c = db.scan(null, null)) {
                for (int i = 0; i < data.liveKeys() / 2; i++) {
                    assertTrue(c.next());
                    half++;
                }
                CompactionReport r = db.compact();
                int rest = 0;
                while (c.next()) {
                    rest++;
                }
                assertTrue(half + rest >= data.liveKeys(), "the cursor saw " + (half + rest) + " of "
                        + data.liveKeys() + " keys");
                stop.set(true);
                for (Thread t : threads) {
                    t.join();
                }
                assertEquals(List.of(), List.copyOf(failures), "reader or writer failures");
                System.out.printf("concurrent compaction: %,d -> %,d bytes, %,d reads and %,d writes meanwhile%n",
                        before, r.fileBytesAfter(), reads.get(), written.get());
                assertTrue(reads.get() > 0 && written.get() > 0, "readers and the writer ran");
                assertTrue(r.fileBytesAfter() < before / 2, "file " + before + " -> " + r.fileBytesAfter());
            }
            assertEquals(List.of(), db.verify());
            data.check(db, "after the concurrent compaction");
            checkWriter(db, written.get());
        }
        try (Database db = Database.open(dir, config())) {
            assertEquals(List.of(), db.verify());
            data.check(db, "reopened");
            checkWriter(db, written.get());
        }
        TestDirs.deleteTree(dir);
    }

    private static byte[] writerKey(int i) {
        return ("w" + i).getBytes();
    }

    /** The writer's puts of [0, n) are there, but the ones it deleted (every i below n / 3 ... ). */
    private static void checkWriter(Database db, int n) {
        for (int i = 0; i < n; i++) {
            boolean deleted = false;
            for (int j = i * 3; j < n && j < i * 3 + 3; j++) {
                deleted |= j % 3 == 0 && j / 3 == i;
            }
            byte[] got = db.get(writerKey(i));
            if (deleted) {
                assertNull(got, "writer key " + i + " was deleted");
            } else {
                assertArrayEquals(SparseData.value(i, 9, 300 + i % 5000), got, "writer key " + i);
            }
        }
    }
}
