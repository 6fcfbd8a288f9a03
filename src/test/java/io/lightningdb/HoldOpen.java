package io.lightningdb;

import io.lightningdb.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A child process for the durability tests: opens a database, writes {@code n} keys and
 * checkpoints (or only syncs the log), prints READY, and holds the database open until killed.
 */
public final class HoldOpen {
    private HoldOpen() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        boolean checkpoint = args.length < 3 || !args[2].equals("log-only");
        Database db = Database.open(dir, LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).build());
        for (int i = 0; i < n; i++) {
            db.put(DurabilityTest.key(i), DurabilityTest.value(i));
        }
        if (n > 0 && checkpoint) {
            db.checkpoint();
        } else {
            db.flush();
        }
        System.out.println("READY");
        System.out.flush();
        // Held open until the parent kills this process; reading stdin blocks without spinning.
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
    }

    /** Starts the child and waits for READY: {@code n} keys written and checkpointed. */
    static Process start(Path dir, int n) throws IOException, InterruptedException {
        return start(dir, n, "checkpoint");
    }

    /** As {@link #start(Path, int)}; {@code "log-only"} leaves the keys in the synced log only. */
    static Process start(Path dir, int n, String how) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(ChildJvm.command(HoldOpen.class, dir.toString(), Integer.toString(n), how))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = out.readLine();
        if (!"READY".equals(line)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("HoldOpen child said " + line + " instead of READY");
        }
        return p;
    }
}
