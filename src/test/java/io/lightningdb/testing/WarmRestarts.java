package io.lightningdb.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.WarmRestartStats;

/** Waiting for a database's warm restart, which runs in the background after open. */
public final class WarmRestarts {
    private WarmRestarts() {}

    /** Waits for the background loading to end (at most 30 s) and returns its figures. */
    public static WarmRestartStats await(Database db) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!db.stats().warmRestart().finished()) {
            assertTrue(System.nanoTime() < deadline, "the warm restart did not finish in 30 s: " + db.stats().warmRestart());
            Thread.sleep(5);
        }
        return db.stats().warmRestart();
    }
}
