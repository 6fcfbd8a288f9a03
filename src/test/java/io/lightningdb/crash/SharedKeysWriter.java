package io.lightningdb.crash;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child of {@link ReplayMatchesLiveTest}: several threads put, delete and batch over one small
 * key space at once, then the log is flushed, the live contents' digest printed, and the process
 * halted without a checkpoint, so the next open rebuilds the tree by replaying the interleaved log.
 *
 * <p>Arguments: database directory, seed, threads, milliseconds.
 */
public final class SharedKeysWriter {
    static final int KEYS = 500;

    private SharedKeysWriter() {}

    static LightningDbConfig config() {
        // No checkpoint while the writers run: the whole history is replayed.
        return LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).maxWalSize(1L << 30).build();
    }

    static byte[] key(int n) {
        return ("shared/" + n).getBytes();
    }

    /** A digest of every entry in key order. */
    static long digest(Database db) {
        long h = 17;
        try (Cursor c = db.scan(null, null)) {
            while (c.next()) {
                h = h * 1_000_003L + Arrays.hashCode(c.key());
                h = h * 1_000_003L + Arrays.hashCode(c.value());
            }
        }
        return h;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        int threads = Integer.parseInt(args[2]);
        long millis = Long.parseLong(args[3]);
        Database db = Database.open(dir, config());
        long deadline = System.currentTimeMillis() + millis;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            SplittableRandom r = new SplittableRandom(seed + t);
            int thread = t;
            ts.add(Thread.ofPlatform().start(() -> {
                for (long op = 0; System.currentTimeMillis() < deadline; op++) {
                    byte[] v = ByteBuffer.allocate(12 + r.nextInt(r.nextInt(16) == 0 ? 3000 : 100))
                            .putInt(thread).putLong(op).array();
                    int what = r.nextInt(10);
                    if (what < 6) {
                        db.put(key(r.nextInt(KEYS)), v);
                    } else if (what < 8) {
                        db.delete(key(r.nextInt(KEYS)));
                    } else {
                        WriteBatch b = db.newWriteBatch();
                        for (int i = 0; i < 1 + r.nextInt(10); i++) {
                            if (r.nextInt(4) == 0) {
                                b.delete(key(r.nextInt(KEYS)));
                            } else {
                                b.put(key(r.nextInt(KEYS)), v);
                            }
                        }
                        db.write(b);
                    }
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        db.flush();
        System.out.println("DIGEST " + digest(db) + " SIDE_BY_SIDE " + db.stats().writers().sideBySide());
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
