package io.lightningdb.jmh.durable;

import io.lightningdb.CompactionReport;
import io.lightningdb.Database;
import io.lightningdb.DatabaseStats;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.WriteBatch;
import io.lightningdb.jmh.kv.KvStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * What {@link Database#compact()} gives back and how long it takes: loads {@code keys} random
 * 16-byte keys with 100-byte values (batches of 1,000, ASYNC), checkpoints, deletes
 * {@code deletePercent}% of them at random, checkpoints, then compacts and prints the file's size
 * at each step, the compaction's duration and pages moved, and the live data.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -cp target/benchmarks.jar \
 *     io.lightningdb.jmh.durable.CompactionRun target/compact 1000000 90 256
 * </pre>
 *
 * Arguments: directory (deleted first and after), keys, percent deleted, cacheSize in MiB.
 */
public final class CompactionRun {
    private static final int VALUE_BYTES = 100;
    private static final int BATCH = 1000;

    private CompactionRun() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: CompactionRun DIR KEYS DELETE_PERCENT CACHE_MIB");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int percent = Integer.parseInt(args[2]);
        long cache = Long.parseLong(args[3]) << 20;
        KvStore.deleteTree(dir);
        byte[][] keys = new byte[n][16];
        SplittableRandom r = new SplittableRandom(42);
        for (byte[] k : keys) {
            r.nextBytes(k);
        }
        byte[] v = new byte[VALUE_BYTES];
        Path file = dir.resolve(Database.FILE_NAME);
        LightningDbConfig cfg = LightningDbConfig.builder().cacheSize(cache).walSyncMode(WalSyncMode.ASYNC).build();
        try (Database db = Database.open(dir, cfg)) {
            WriteBatch b = db.newWriteBatch();
            for (int i = 0; i < n; i++) {
                r.nextBytes(v);
                b.put(keys[i], v);
                if (b.size() == BATCH || i == n - 1) {
                    db.write(b);
                    b = db.newWriteBatch();
                }
            }
            db.checkpoint();
            long loaded = Files.size(file);
            long kept = 0;
            for (int i = 0; i < n; i++) {
                if (r.nextInt(100) < percent) {
                    b.delete(keys[i]);
                } else {
                    kept++;
                }
                if (b.size() == BATCH || i == n - 1) {
                    db.write(b);
                    b = db.newWriteBatch();
                }
            }
            db.checkpoint();
            long deleted = Files.size(file);
            CompactionReport c = db.compact();
            long live = kept * (16 + VALUE_BYTES);
            DatabaseStats s = db.stats();
            System.out.printf("compact keys=%d deleted=%d%% kept=%d liveDataMiB=%.1f livePagesMiB=%.1f cacheMiB=%d"
                    + " loadedMiB=%.1f afterDeletesMiB=%.1f afterCompactMiB=%.1f fileSize=%d reclaimedMiB=%.1f"
                    + " pagesMoved=%d compactMs=%d%n", n, percent, kept, live / 1048576.0,
                    (s.pages() - s.freePages()) * (double) s.pageSize() / 1048576.0, cache >> 20, loaded / 1048576.0,
                    deleted / 1048576.0, c.fileBytesAfter() / 1048576.0, Files.size(file),
                    c.bytesReclaimed() / 1048576.0, c.pagesMoved(), c.duration().toMillis());
            if (!db.verify().isEmpty()) {
                throw new IllegalStateException("verify() after compaction: " + db.verify());
            }
        }
        KvStore.deleteTree(dir);
    }
}
