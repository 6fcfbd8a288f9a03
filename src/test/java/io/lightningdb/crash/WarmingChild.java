package io.lightningdb.crash;

import io.lightningdb.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child of {@link WarmRestartCrashTest}: opens the database (whose warm restart starts reading
 * the listed pages in the background), prints {@code READY}, then puts keys of its cycle one by
 * one, SYNC, printing {@code ACK i} after each returned, while the small log bound brings
 * background checkpoints (and with the first, a refreshed page list) until it is killed.
 *
 * <p>Arguments: database directory, cycle number.
 */
public final class WarmingChild {
    private WarmingChild() {}

    static byte[] key(int cycle, int i) {
        return ("cycle" + cycle + "-" + i).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] value(int cycle, int i) {
        return ("value of " + cycle + "/" + i + " ").repeat(1 + i % 20).getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        int cycle = Integer.parseInt(args[1]);
        Database db = Database.open(Path.of(args[0]), WarmRestartCrashTest.config());
        System.out.println("READY");
        System.out.flush();
        for (int i = 0; ; i++) {
            db.put(key(cycle, i), value(cycle, i));
            System.out.println("ACK " + i);
            System.out.flush();
        }
    }
}
