package io.lightningdb.crash;

import io.lightningdb.Database;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child the crash test kills: applies a {@link History} from {@code startIndex} on, forever,
 * and acknowledges each op on stdout ({@code ACK <i>}, flushed) only after the call (for a
 * transaction, its commit) returned, so every ack the parent reads is a write the database has
 * acknowledged. Prints {@code READY} once the database is open. Any exception: its stack trace on
 * stderr and exit code 3.
 *
 * <p>Arguments: database directory, WAL mode (SYNC, BATCH, ASYNC), seed, startIndex.
 */
public final class CrashWriter {
    static final int EXIT_ERROR = 3;

    private CrashWriter() {}

    public static void main(String[] args) {
        try {
            if (args.length != 4) {
                throw new IllegalArgumentException("usage: CrashWriter <dir> <SYNC|BATCH|ASYNC> <seed> <startIndex>, got "
                        + args.length + " arguments");
            }
            run(Path.of(args[0]), args[1], Long.parseLong(args[2]), Long.parseLong(args[3]));
        } catch (Throwable t) {
            t.printStackTrace(System.err);
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_ERROR);
        }
    }

    private static void run(Path dir, String mode, long seed, long startIndex) {
        History history = new History(seed);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);
        // Never closed: the parent kills this process while it writes.
        Database db = Database.open(dir, CrashConfig.config(mode, CrashConfig.ASYNC_FLUSH_INTERVAL));
        out.println("READY");
        out.flush();
        for (long i = startIndex; ; i++) {
            history.apply(db, history.op(i));
            out.println("ACK " + i);
            out.flush();
        }
    }
}
