package io.lightningdb.cli;

import io.lightningdb.CorruptDatabaseException;
import io.lightningdb.Database;
import io.lightningdb.DatabaseStats;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code check}: opens the database (which checks the superblocks, the page table and the log)
 * and verifies the tree: every page it reads against its checksum, and the tree's invariants.
 * Each problem is printed with its page; damage is exit code 2, so scripts can tell it from a
 * failure to run the check at all (1).
 */
@Command(name = "check", description = {"Verifies page checksums and the tree's invariants.",
    "Prints each problem with its page; exit code 2 when the database is damaged."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    private DbOptions db;

    @Override
    public Integer call() {
        Main main = Main.of(spec);
        PrintWriter out = main.out();
        List<String> problems;
        DatabaseStats stats;
        long t0 = System.nanoTime();
        try (Database d = db.open(false)) {
            problems = d.verify(main.progressListener("check"));
            stats = d.stats();
        } catch (CorruptDatabaseException e) {
            out.println("damaged: " + e.getMessage());
            return Main.EXIT_DAMAGED;
        }
        for (String p : problems) {
            out.println("damaged: " + p);
        }
        if (!problems.isEmpty()) {
            out.printf("%s: %d problem%s found%n", db.dir, problems.size(), problems.size() == 1 ? "" : "s");
            return Main.EXIT_DAMAGED;
        }
        out.printf("ok: %,d keys, %,d pages of %,d bytes, tree height %d; checksums and invariants hold (%.2f s)%n",
                stats.keys(), stats.pages(), stats.pageSize(), stats.treeHeight(), (System.nanoTime() - t0) / 1e9);
        return Main.EXIT_OK;
    }
}
