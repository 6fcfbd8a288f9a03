package io.lightningdb.crash;

import io.lightningdb.Database;
import io.lightningdb.testing.SparseData;
import java.nio.file.Path;

/**
 * The child of {@link CompactionCrashTest}: opens the database, prints {@code READY}, then
 * compacts it while a writer thread puts keys and prints {@code ACK i} after each put returned
 * (SYNC: durable). Compaction progress goes out as {@code PROGRESS done total} (each report
 * pausing a moment, so kills land during the moves too), then {@code DONE}; the child then waits
 * to be killed.
 *
 * <p>Arguments: database directory, cycle number (the writer's key prefix and value version).
 */
public final class CompactingChild {
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
        Database db = Database.open(dir, CompactionCrashTest.config());
        System.out.println("READY");
        System.out.flush();
        Thread.ofPlatform().daemon().start(() -> {
            for (int i = 0; ; i++) {
                db.put(writerKey(cycle, i), writerValue(cycle, i));
                System.out.println("ACK " + i);
                System.out.flush();
            }
        });
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
