package io.lightningdb.cli;

import io.lightningdb.CompactionReport;
import io.lightningdb.Database;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code compact}: {@link Database#compact} with a progress bar: pages at the end of the file move
 * into free slots lower down, and the file is cut after the last slot in use.
 */
@Command(name = "compact", description = {"Gives the data file's unused space back to the file system.",
    "Moves pages from the end of the file into free slots lower down, checkpoints, and cuts the file;",
    "prints its size before and after. Crash-safe: a kill at any point loses nothing."})
final class CompactCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    private DbOptions db;

    @Override
    public Integer call() {
        Main main = Main.of(spec);
        PrintWriter out = main.out();
        CompactionReport r;
        try (Database d = db.open(false)) {
            r = d.compact(main.progressListener("compact"));
        }
        out.printf("compacted %s: %s -> %s (%s reclaimed), %,d pages moved, %.2f s%n", db.dir,
                mib(r.fileBytesBefore()), mib(r.fileBytesAfter()), mib(r.bytesReclaimed()), r.pagesMoved(),
                r.duration().toNanos() / 1e9);
        return Main.EXIT_OK;
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}
