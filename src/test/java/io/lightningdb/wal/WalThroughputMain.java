package io.lightningdb.wal;

import io.lightningdb.testing.TestDirs;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Commits per second (append 100 bytes + awaitDurable) per sync mode and thread count, on the
 * test-data directory (a real disk). Not a test: run by hand,
 * {@code java -cp target/classes:target/test-classes io.lightningdb.wal.WalThroughputMain [seconds]}.
 */
public final class WalThroughputMain {
    private WalThroughputMain() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        Object[][] runs = args.length > 1 ? new Object[][] {{SyncMode.BATCH, 8}, {SyncMode.SYNC, 8}, {SyncMode.BATCH, 32}, {SyncMode.SYNC, 32}} : new Object[][] {{SyncMode.SYNC, 1}, {SyncMode.BATCH, 1}, {SyncMode.BATCH, 8}, {SyncMode.BATCH, 32},
            {SyncMode.SYNC, 8}, {SyncMode.SYNC, 32}, {SyncMode.ASYNC, 1}};
        for (Object[] run : runs) {
            measure((SyncMode) run[0], (Integer) run[1], seconds);
        }
    }

    private static void measure(SyncMode mode, int threads, double seconds) throws Exception {
        Path dir = TestDirs.fresh("wal-throughput");
        MemorySegment payload = MemorySegment.ofArray(new byte[100 - WalFormat.RECORD_OVERHEAD]);
        LongAdder commits = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        WalStats stats;
        long elapsed;
        try (Wal wal = Wal.open(dir, WalConfig.defaults().withSyncMode(mode), 0)) {
            List<Thread> all = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                all.add(Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            wal.awaitDurable(wal.append((byte) 1, payload, null));
                            commits.increment();
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }));
            }
            Thread.sleep((long) (seconds * 1000));
            stop.set(true);
            for (Thread t : all) {
                t.join();
            }
            elapsed = System.nanoTime() - t0;
            stats = wal.stats();
        }
        TestDirs.deleteTree(dir);
        System.out.printf("%-5s %2d threads: %9.0f commits/s, %7.0f syncs/s, %.1f commits/sync (max %d)%n", mode, threads,
                commits.sum() * 1e9 / elapsed, stats.syncs() * 1e9 / elapsed,
                (double) stats.appends() / Math.max(1, stats.syncs()), stats.groupCommitMax());
    }
}
