package io.lightningdb.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.lightningdb.Database;
import io.lightningdb.WriteBatch;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A data set for compaction: {@code n} keys whose values (inline, and one in sixteen in overflow
 * chains) are derived from the key's index and a version, so any value can be checked without
 * keeping it; then most keys deleted at random, which leaves a file far larger than its data.
 * Loaded and deleted in batches, so building tens of MiB takes seconds even with SYNC.
 *
 * {@snippet :
 * SparseData d = new SparseData(20_000, seed);
 * d.load(db, 1);            // every key, version 1
 * d.deleteMost(db, 0.9);    // ~90% gone, at random
 * d.check(db);              // present ones read back their value, deleted ones are absent
 * }
 */
public final class SparseData {
    private static final int BATCH = 500;

    private final SplittableRandom random;
    /** Per key: the version of its value, 0 when absent. */
    private final int[] version;
    private final int[] length;

    public SparseData(int n, long seed) {
        this.random = new SplittableRandom(seed);
        this.version = new int[n];
        this.length = new int[n];
    }

    public int size() {
        return version.length;
    }

    public static byte[] key(int i) {
        return String.format("k%08d", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** The value of key {@code i} at {@code version}, {@code len} bytes. */
    public static byte[] value(int i, int version, int len) {
        byte[] v = new byte[len];
        long x = (i * 0x9E3779B97F4A7C15L) ^ version;
        for (int j = 0; j < len; j++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            v[j] = (byte) (x >>> 56);
        }
        return v;
    }

    /** A value length: 200-1,000 bytes, or one in sixteen 4-16 KiB (an overflow chain). */
    private int nextLength() {
        return random.nextInt(16) == 0 ? random.nextInt(4096, 16385) : random.nextInt(200, 1001);
    }

    /** Puts every key with value version {@code v}. */
    public void load(Database db, int v) {
        WriteBatch b = db.newWriteBatch();
        for (int i = 0; i < version.length; i++) {
            length[i] = nextLength();
            version[i] = v;
            b.put(key(i), value(i, v, length[i]));
            if (b.size() == BATCH) {
                db.write(b);
                b = db.newWriteBatch();
            }
        }
        db.write(b);
    }

    /** Deletes each present key with probability {@code share}. */
    public void deleteMost(Database db, double share) {
        WriteBatch b = db.newWriteBatch();
        for (int i = 0; i < version.length; i++) {
            if (version[i] != 0 && random.nextDouble() < share) {
                version[i] = 0;
                b.delete(key(i));
                if (b.size() == BATCH) {
                    db.write(b);
                    b = db.newWriteBatch();
                }
            }
        }
        db.write(b);
    }

    /** Overwrites present key {@code i} with its next version, of the same length. */
    public void update(Database db, int i) {
        version[i]++;
        db.put(key(i), value(i, version[i], length[i]));
    }

    /** The length of key {@code i}'s value as last loaded. */
    public int length(int i) {
        return length[i];
    }

    /** Whether key {@code i} is present. */
    public boolean present(int i) {
        return version[i] != 0;
    }

    /** The expected value of present key {@code i}. */
    public byte[] expected(int i) {
        return value(i, version[i], length[i]);
    }

    /** Bytes of keys and values present. */
    public long liveBytes() {
        long sum = 0;
        for (int i = 0; i < version.length; i++) {
            if (version[i] != 0) {
                sum += key(i).length + length[i];
            }
        }
        return sum;
    }

    public int liveKeys() {
        int n = 0;
        for (int v : version) {
            n += v != 0 ? 1 : 0;
        }
        return n;
    }

    /** Every present key reads back its value; every deleted key is absent. */
    public void check(Database db, String when) {
        for (int i = 0; i < version.length; i++) {
            byte[] got = db.get(key(i));
            if (version[i] == 0) {
                assertNull(got, when + ": deleted key " + i + " is back");
            } else {
                assertArrayEquals(expected(i), got, when + ": key " + i);
            }
        }
    }
}
