package io.lightningdb.jmh.durable;

import io.lightningdb.Database;
import io.lightningdb.DurabilityStats;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.jmh.kv.KvStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How long checkpoints stall writers: one thread puts {@code keys} random 16-byte keys with
 * 100-byte values as fast as it can (ASYNC, so nothing but the engine is timed) while checkpoints
 * run every {@code maxWalMiB} MiB of log, then prints the checkpoints' longest writer stall
 * ({@link DurabilityStats#maxCheckpointStall()}), their duration, and the put latency
 * distribution, in which a stall would show as the tail.
 *
 * <pre>
 * java -cp target/benchmarks.jar io.lightningdb.jmh.durable.CheckpointStall target/stall 2000000 256 64
 * </pre>
 *
 * Arguments: directory (deleted first), keys, cacheSize in MiB, maxWalSize in MiB.
 */
public final class CheckpointStall {
    private CheckpointStall() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: CheckpointStall DIR KEYS CACHE_MIB MAX_WAL_MIB");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        long cache = Long.parseLong(args[2]) << 20;
        long maxWal = Long.parseLong(args[3]) << 20;
        KvStore.deleteTree(dir);
        byte[][] keys = new byte[n][16];
        SplittableRandom r = new SplittableRandom(42);
        for (byte[] k : keys) {
            r.nextBytes(k);
        }
        byte[] v = new byte[100];
        long[] lat = new long[n];
        LightningDbConfig cfg = LightningDbConfig.builder().cacheSize(cache).walSyncMode(WalSyncMode.ASYNC)
                .maxWalSize(maxWal).build();
        try (Database db = Database.open(dir, cfg)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                db.put(keys[i], v);
                lat[i] = System.nanoTime() - s;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(lat);
            DurabilityStats d = db.stats().durability();
            System.out.printf("stall keys=%d cacheMiB=%d maxWalMiB=%d puts/s=%.0f checkpoints=%d maxStallMs=%.2f"
                    + " lastStallMs=%.2f lastCheckpointMs=%.0f putP50us=%.1f putP99us=%.1f putP9999us=%.1f putMaxMs=%.1f"
                    + " pages=%d fileMiB=%d%n", n, cache >> 20, maxWal >> 20, n / secs, d.checkpoints(),
                    d.maxCheckpointStall().toNanos() / 1e6, d.lastCheckpointStall().toNanos() / 1e6,
                    d.lastCheckpointDuration().toNanos() / 1e6, lat[n / 2] / 1e3, lat[(int) (n * 0.99)] / 1e3,
                    lat[(int) (n * 0.9999)] / 1e3, lat[n - 1] / 1e6, db.stats().pages(), d.fileBytes() >> 20);
        }
        KvStore.deleteTree(dir);
    }
}
