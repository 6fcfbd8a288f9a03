package io.lightningdb.cli;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the demo writes, computed rather than remembered, so a later run can check what an earlier
 * one left: key {@code i} is {@code "key"} and 13 decimal digits (16 bytes, sorting in index
 * order), its value 100 bytes derived from the run number and {@code i}; every tenth key (index a
 * multiple of 10) is deleted at the end of a run. One record under {@link #META_KEY} says which
 * run wrote the database and how many keys it loaded.
 *
 * {@snippet :
 * byte[] k = DemoData.key(42, new byte[DemoData.KEY_BYTES]);   // "key0000000000042"
 * byte[] v = DemoData.value(1, 42, new byte[DemoData.VALUE_BYTES]);
 * }
 */
final class DemoData {
    static final int KEY_BYTES = 16;
    static final int VALUE_BYTES = 100;
    static final int DELETE_EVERY = 10;
    private static final byte[] KEY_PREFIX = "key".getBytes(StandardCharsets.US_ASCII);
    /** Sorts after every data key ('~' > 'k'), so a scan bounded by data keys never meets it. */
    static final byte[] META_KEY = "~lightning-demo".getBytes(StandardCharsets.US_ASCII);
    /** Keys have 13 digits: indexes below 10^13. */
    static final long MAX_INDEX = 9_999_999_999_999L;

    private DemoData() {}

    /** Writes key {@code i} into {@code buf} (16 bytes) and returns it. */
    static byte[] key(long i, byte[] buf) {
        if (i < 0 || i > MAX_INDEX) {
            throw new IllegalArgumentException("key index " + i + " outside [0, " + MAX_INDEX + "]");
        }
        System.arraycopy(KEY_PREFIX, 0, buf, 0, KEY_PREFIX.length);
        long x = i;
        for (int p = KEY_BYTES - 1; p >= KEY_PREFIX.length; p--) {
            buf[p] = (byte) ('0' + x % 10);
            x /= 10;
        }
        return buf;
    }

    static byte[] key(long i) {
        return key(i, new byte[KEY_BYTES]);
    }

    /**
     * Writes run {@code run}'s value of key {@code i} into {@code buf} (100 bytes): readable
     * {@code "run N key I "} then pseudo-random bytes, so a value from another run or key differs.
     */
    static byte[] value(int run, long i, byte[] buf) {
        byte[] label = ("run " + run + " key " + i + " ").getBytes(StandardCharsets.US_ASCII);
        int n = Math.min(label.length, VALUE_BYTES);
        System.arraycopy(label, 0, buf, 0, n);
        long x = (run * 0x9E3779B97F4A7C15L) ^ (i * 0xC2B2AE3D27D4EB4FL);
        for (int p = n; p < VALUE_BYTES; p++) {
            if ((p - n) % Long.BYTES == 0) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            buf[p] = (byte) (x >>> (8 * ((p - n) % Long.BYTES)));
        }
        return buf;
    }

    static byte[] value(int run, long i) {
        return value(run, i, new byte[VALUE_BYTES]);
    }

    /** Whether key {@code i} is deleted at the end of a run. */
    static boolean deleted(long i) {
        return i % DELETE_EVERY == 0;
    }

    /** Keys a run of {@code n} keys deletes: the multiples of 10 in [0, n). */
    static long deletedCount(long n) {
        return (n + DELETE_EVERY - 1) / DELETE_EVERY;
    }

    /** The order the demo loads keys in: {@code j -> j * stride mod n}, a permutation when stride and n are coprime. */
    static long stride(long n) {
        long s = Math.max(1, (long) (n * 0.6180339887));
        while (gcd(s, n) != 1) {
            s++;
        }
        return s;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** What a run records about itself under {@link #META_KEY}. */
    record Meta(int run, long keys) {
        byte[] encode() {
            return ("run=" + run + " keys=" + keys).getBytes(StandardCharsets.US_ASCII);
        }

        /** Parses a record; null if it is not one this demo writes. */
        static Meta decode(byte[] bytes) {
            String s = new String(bytes, StandardCharsets.US_ASCII);
            String[] parts = s.split(" ");
            if (parts.length != 2 || !parts[0].startsWith("run=") || !parts[1].startsWith("keys=")) {
                return null;
            }
            try {
                int run = Integer.parseInt(parts[0].substring(4));
                long keys = Long.parseLong(parts[1].substring(5));
                return run >= 1 && keys >= 0 && keys <= MAX_INDEX ? new Meta(run, keys) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** Shows a key or value for a mismatch report: printable ASCII as is, the rest as \xNN. */
    static String show(byte[] b) {
        if (b == null) {
            return "(absent)";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : Arrays.copyOf(b, Math.min(b.length, 24))) {
            sb.append(x >= 0x20 && x < 0x7F ? String.valueOf((char) x) : String.format("\\x%02x", x & 0xFF));
        }
        return sb.append(b.length > 24 ? "...\" (" + b.length + " bytes)" : "\"").toString();
    }
}
