package io.lightningdb.jmh.durable;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.jmh.kv.KvStore;
import io.lightningdb.jmh.kv.Keys;
import io.lightningdb.RecoveryReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * How long {@link Database#open} takes after a crash that leaves {@code mib} MiB of log to replay.
 * Each run starts a child JVM that writes random keys with 1 KiB values in ASYNC mode, checkpoints
 * never ({@code maxWalSize} 64 GiB), and, once it has {@code flush()}ed {@code mib} MiB of
 * records, says so and keeps writing until the parent kills it with SIGKILL
 * ({@link Process#destroyForcibly()}). A second, fresh JVM then times {@code Database.open}, which
 * replays the log and checkpoints what it replayed, and prints {@link Database#recovery()} with the
 * open time and the replay's own time (from the engine's INFO log line). The log
 * is still in the OS page cache, as after a process crash (not a power loss).
 *
 * <pre>
 * java -cp target/benchmarks.jar io.lightningdb.jmh.durable.RecoveryTime target/durable-bench/recovery 3 256
 * </pre>
 *
 * Prints one {@code recovery run=...} line per run and a {@code recovery median ...} line (the run
 * of median open time).
 */
public final class RecoveryTime {
    static final int VALUE_SIZE = 1024;
    /** Keys are drawn from this many, so the tree (~130 MiB) fits the default 256 MiB cache. */
    static final int KEY_SPACE = 100_000;
    static final String FLUSHED = "flushed";
    static final long CHILD_TIMEOUT_SECONDS = 600;

    private RecoveryTime() {}

    static LightningDbConfig config() {
        return LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).maxWalSize(LightningDbConfig.MAX_WAL_SIZE)
                .build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("write")) {
            write(Path.of(args[1]), Long.parseLong(args[2]) << 20);
        } else if (args.length == 2 && args[0].equals("open")) {
            open(Path.of(args[1]));
        } else if (args.length == 3) {
            parent(Path.of(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
        } else {
            throw new IllegalArgumentException("usage: RecoveryTime <dir> <runs> <mib> (got " + Arrays.toString(args) + ")");
        }
    }

    /** Child: writes until {@code target} bytes of records are flushed, announces it, writes on. */
    private static void write(Path dir, long target) {
        Database db = Database.open(dir, config());
        SplittableRandom r = new SplittableRandom(0xC4A5L);
        byte[] value = new byte[VALUE_SIZE];
        r.nextBytes(value);
        long bytes = 0;
        long t0 = System.nanoTime();
        boolean announced = false;
        for (long i = 0;; i++) {
            byte[] key = Keys.key(r.nextInt(KEY_SPACE));
            value[0] = (byte) i;
            db.put(key, value);
            bytes += key.length + value.length;
            if (!announced && bytes >= target) {
                db.flush();
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.println(FLUSHED + " puts=" + (i + 1) + " payloadBytes=" + bytes
                        + " seconds=" + String.format("%.2f", seconds));
                System.out.flush();
                announced = true;
            }
        }
    }

    /** Child: times the open that replays the log, then closes (untimed). */
    private static void open(Path dir) {
        long t0 = System.nanoTime();
        Database db = Database.open(dir, config());
        long openNanos = System.nanoTime() - t0;
        RecoveryReport rec = db.recovery();
        long keys = db.stats().keys();
        db.close();
        System.out.println("opened openMillis=" + String.format("%.1f", openNanos / 1e6) + " records=" + rec.records()
                + " bytes=" + rec.bytes() + " cut=" + rec.tailCut() + " replayMillis=" + rec.millis() + " keys=" + keys);
    }

    private static void parent(Path dir, int runs, long mib) throws IOException, InterruptedException {
        if (runs < 1 || mib < 1) {
            throw new IllegalArgumentException("runs and mib must be at least 1, got runs=" + runs + " mib=" + mib);
        }
        List<double[]> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            KvStore.deleteTree(dir);
            Process writer = child("write", dir.toString(), Long.toString(mib));
            String flushed = awaitLine(writer, output(writer), FLUSHED);
            writer.destroyForcibly();
            writer.waitFor();
            Process opener = child("open", dir.toString());
            // The engine logs the replay alone ("recovered N log records ... in T ms"); the open
            // also checkpoints what it replayed.
            BufferedReader out = output(opener);
            String replay = awaitLine(opener, out, "INFO: " + dir + ": recovered");
            String opened = awaitLine(opener, out, "opened");
            if (!opener.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || opener.exitValue() != 0) {
                throw new IllegalStateException("recovery open exited with " + opener.exitValue());
            }
            String replayMillis = replay.substring(replay.lastIndexOf(" in ") + 4, replay.lastIndexOf(" ms")).replace(",", "");
            opened += " replayMillis=" + replayMillis;
            System.out.println("recovery run=" + run + " writer: " + flushed + " | open: " + opened);
            results.add(new double[] {field(opened, "openMillis"), field(opened, "replayMillis"), field(opened, "records"),
                field(opened, "bytes")});
        }
        KvStore.deleteTree(dir);
        results.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] median = results.get(results.size() / 2);
        System.out.println("recovery median runs=" + runs + " openMillis=" + String.format("%.1f", median[0])
                + " replayMillis=" + (long) median[1] + " records=" + (long) median[2] + " bytes=" + (long) median[3]);
    }

    /** A JVM running this class with {@code args}, with this JVM's flags and class path. */
    private static Process child(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RecoveryTime.class.getName()));
        cmd.addAll(List.of(args));
        // Standard error joins standard output: the engine's log lines are read like the child's own.
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static BufferedReader output(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The next line of {@code p}'s output starting with {@code prefix}; kills {@code p} if it never comes. */
    private static String awaitLine(Process p, BufferedReader out, String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            System.err.println("  [" + p.pid() + "] " + line);
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("child " + p.pid() + " ended without a '" + prefix + "' line");
    }

    private static double field(String line, String name) {
        for (String part : line.split(" ")) {
            if (part.startsWith(name + "=")) {
                return Double.parseDouble(part.substring(name.length() + 1));
            }
        }
        throw new IllegalStateException("no " + name + "= in: " + line);
    }
}
