package io.lightningdb.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lightningdb.CompactionReport;
import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.DatabaseLockedException;
import io.lightningdb.RecoveryReport;
import io.lightningdb.ScanOrder;
import io.lightningdb.SpaceStats;
import io.lightningdb.WriteBatch;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Examples of {@code Database}, {@code Cursor}, {@code WriteBatch} and the reports (see the package). */
final class DatabaseExamples {
    private DatabaseExamples() {}

    static void openPutGetScan(Path dir) {
        // @start region="open"
        try (Database db = Database.open(dir)) {
            db.put("hello".getBytes(UTF_8), "world".getBytes(UTF_8));
            byte[] v = db.get("hello".getBytes(UTF_8));          // "world", or null when absent
            try (Cursor c = db.scanPrefix("he".getBytes(UTF_8))) {
                while (c.next()) {
                    System.out.println(new String(c.key(), UTF_8) + " = " + new String(c.value(), UTF_8));
                }
            }
        }
        // @end
    }

    static long scanSum(Database db, byte[] from, byte[] to) {
        long sum = 0;
        // @start region="scan"
        try (Cursor c = db.scan(from, to)) {                       // from inclusive, to exclusive; null: open
            while (c.next()) {
                sum += c.value().length;
            }
        }
        // @end
        return sum;
    }

    static long[] parallelScan(Database db) {
        // @start region="parallelScan"
        // Any order, from several threads: the action must be thread-safe.
        LongAdder bytes = new LongAdder();
        long entries = db.parallelScan(null, null, ScanOrder.ANY_ORDER, (k, v) -> bytes.add(k.length + v.length));

        // Key order, on this thread: the parts are read side by side and handed over in order.
        List<byte[]> firstKeys = new ArrayList<>();
        db.parallelScan(null, null, ScanOrder.KEY_ORDER, (k, v) -> {
            if (firstKeys.size() < 10) {
                firstKeys.add(k);
            }
        });
        // @end
        return new long[] {entries, bytes.sum(), firstKeys.size()};
    }

    static long scanSegments(Database db, byte[] from, byte[] to) {
        long sum = 0;
        // @start region="segments"
        try (Cursor c = db.scan(from, to)) {
            while (c.next()) {
                // No copy: the segment is valid until the next step.
                sum += c.valueSegment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            }
        }
        // @end
        return sum;
    }

    static void batch(Database db, byte[] from, byte[] to, byte[] newFromBalance, byte[] newToBalance,
            byte[] pendingTransfer) {
        // @start region="batch"
        WriteBatch batch = db.newWriteBatch();
        batch.put(from, newFromBalance);
        batch.put(to, newToBalance);
        batch.delete(pendingTransfer);
        db.write(batch);                                           // all three, or none after a crash
        // @end
    }

    static long compact(Database db) {
        // @start region="compact"
        CompactionReport r = db.compact();
        System.out.println("compacted " + db.directory() + ": " + r.bytesReclaimed() / (1 << 20) + " MiB back in "
                + r.duration().toMillis() + " ms, " + r.pagesMoved() + " pages moved");
        // @end
        return r.bytesReclaimed();
    }

    static boolean space(Database db) {
        // @start region="space"
        SpaceStats s = db.stats().space();
        // A quarter of the file in free slots, and enough of them to matter: give them back.
        boolean worthIt = s.freePageBytes() > Math.max(s.dataFileBytes() / 4, 64L << 20);
        if (s.dataAmplification() > 2.0 && worthIt) {
            db.compact();
        }
        // @end
        return worthIt;
    }

    static void compactWithProgress(Database db) {
        // @start region="progress"
        db.compact((done, total) -> System.err.printf("\rcompacting: %d%%", total == 0 ? 100 : 100 * done / total));
        // @end
    }

    static void recovery(Path dir) {
        // @start region="recovery"
        try (Database db = Database.open(dir)) {
            RecoveryReport r = db.recovery();
            if (r.records() > 0) {
                System.out.println("replayed " + r.records() + " writes in " + r.millis() + " ms");
            }
        }
        // @end
    }

    static void locked(Path dir) {
        // @start region="locked"
        try (Database db = Database.open(dir)) {
            Database.open(dir);                                    // a second handle on the same directory
        } catch (DatabaseLockedException e) {
            System.err.println(e.getMessage());                    // "... is locked by process 4242 (this process ...)"
        }
        // @end
    }
}
