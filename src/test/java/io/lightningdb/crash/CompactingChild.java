package io.lightningdb.crash;

import io.lightningdb.Database;
import io.lightningdb.WriteBatch;
import io.lightningdb.testing.SparseData;
import java.nio.file.Path;

/**
 * The child of {@link CompactionCrashTest}: opens the database, prints {@code READY}, then
 * compacts it while a writer thread puts keys and prints {@code ACK i} after each put returned
 * (SYNC: durable). Compaction progress goes out as {@code PROGRESS done total} (each report
 * pausing a moment, so kills land during the moves too), then {@code DONE}; the child then waits
 * to be killed.
 *
 * <p>In the background mode the child does not compact: its writer puts batches of
 * {@value #BATCH} keys (enough log for a background checkpoint every few dozen batches), printing
 * {@code ACK i} for the batch's last key, and the main thread prints {@code BACKGROUND n} when
 * the n-th background compaction has finished.
 *
 * <p>Arguments: database directory, cycle number (the writer's key prefix and value version),
 * {@code true} for the background mode.
 */
public final class CompactingChild {
    private static final int BATCH = 20;

    private CompactingChild() {}

    static byte[] writerKey(int cycle, int i) {
        return ("c" + cycle + "-" + i).getBytes();
    }

    static byte[] writerValue(int cycle, int i) {
        return SparseData.value(i, 1000 + cycle, 100 + i % 700);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int cycle = Integer.parseInt(args[1]);
        boolean background = Boolean.parseBoolean(args[2]);
        Database db = Database.open(dir, CompactionCrashTest.config(background));
        System.out.println("READY");
        System.out.flush();
        Thread.ofPlatform().daemon().start(() -> {
            int step = background ? BATCH : 1;
            for (int i = 0; ; i += step) {
                WriteBatch b = db.newWriteBatch();
                for (int j = i; j < i + step; j++) {
                    b.put(writerKey(cycle, j), writerValue(cycle, j));
                }
                db.write(b);
                System.out.println("ACK " + (i + step - 1));
                System.out.flush();
            }
        });
        if (background) {
            for (long seen = 0; ; Thread.sleep(1)) {
                long runs = db.stats().space().backgroundCompactions();
                if (runs > seen) {
                    seen = runs;
                    System.out.println("BACKGROUND " + runs);
                    System.out.flush();
                }
            }
        }
        db.compact((done, total) -> {
            System.out.println("PROGRESS " + done + " " + total);
            System.out.flush();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
