package io.lightningdb.cli.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The bench's keys and values. A key is YCSB's shape, "user" and a hashed number, but fixed-width
 * (20 zero-padded digits) so byte order is numeric order, and hashed with an invertible mix instead
 * of FNV so no two numbers share a key and a scanned key tells its number. A value starts with its
 * key's number and a version and is filled from both, so any value read can be checked against the
 * key it was read under without remembering what was written.
 *
 * {@snippet :
 * byte[] k = Keys.key(42);                 // "user" + 20 digits
 * byte[] v = Keys.value(42, 7, 100);
 * Keys.check(42, v, 100)                   // null: well formed
 * }
 */
final class Keys {
    static final int KEY_LENGTH = 24;
    private static final byte[] PREFIX = "user".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGITS = KEY_LENGTH - 4;
    private static final int HEADER = BenchSpec.MIN_VALUE_SIZE;
    // splitmix64's finalizer: a bijection on 64 bits that spreads consecutive numbers over the key space.
    private static final long M1 = 0xbf58476d1ce4e5b9L;
    private static final long M2 = 0x94d049bb133111ebL;
    private static final long M1_INVERSE = inverse(M1);
    private static final long M2_INVERSE = inverse(M2);

    private Keys() {}

    /** The hashed number behind key {@code index}. */
    static long scramble(long index) {
        long z = index;
        z = (z ^ (z >>> 30)) * M1;
        z = (z ^ (z >>> 27)) * M2;
        return z ^ (z >>> 31);
    }

    static long unscramble(long hashed) {
        long z = unshift(hashed, 31);
        z = unshift(z * M2_INVERSE, 27);
        return unshift(z * M1_INVERSE, 30);
    }

    /** The key of number {@code index}. */
    static byte[] key(long index) {
        byte[] k = new byte[KEY_LENGTH];
        System.arraycopy(PREFIX, 0, k, 0, PREFIX.length);
        String digits = Long.toUnsignedString(scramble(index));
        int pad = DIGITS - digits.length();
        for (int i = 0; i < DIGITS; i++) {
            k[PREFIX.length + i] = (byte) (i < pad ? '0' : digits.charAt(i - pad));
        }
        return k;
    }

    /** The number of a bench key, or -1 when {@code key} is not one. */
    static long index(byte[] key) {
        if (key.length != KEY_LENGTH) {
            return -1;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (key[i] != PREFIX[i]) {
                return -1;
            }
        }
        long hashed = 0;
        for (int i = PREFIX.length; i < KEY_LENGTH; i++) {
            int d = key[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            hashed = hashed * 10 + d; // wraps like unsigned arithmetic, which is what the digits encode
        }
        return unscramble(hashed);
    }

    /** A value of {@code size} bytes for key {@code index} at {@code version}. */
    static byte[] value(long index, long version, int size) {
        byte[] v = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(v);
        b.putLong(index).putLong(version);
        long state = scramble(index ^ scramble(version));
        for (int i = HEADER; i < size; i++) {
            if ((i & 7) == 0) {
                state = scramble(state + i);
            }
            v[i] = (byte) (state >>> ((i & 7) << 3));
        }
        return v;
    }

    /** Null when {@code v} is a value written for key {@code index}, else what is wrong with it. */
    static String check(long index, byte[] v, int size) {
        if (v.length != size) {
            return "value of " + v.length + " bytes, expected " + size;
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        long owner = b.getLong();
        if (owner != index) {
            return "value belongs to key number " + owner + ", read under number " + index;
        }
        byte[] expected = value(index, b.getLong(), size);
        for (int i = HEADER; i < size; i++) {
            if (expected[i] != v[i]) {
                return "value corrupt at byte " + i;
            }
        }
        return null;
    }

    /** The key as text for error messages. */
    static String text(byte[] key) {
        return new String(key, StandardCharsets.US_ASCII);
    }

    private static long unshift(long x, int shift) {
        long r = x;
        for (int s = shift; s < 64; s += shift) {
            r = x ^ (r >>> shift);
        }
        return r;
    }

    /** The multiplicative inverse of odd {@code a} modulo 2^64 (Newton's iteration doubles the good bits). */
    private static long inverse(long a) {
        long x = a;
        for (int i = 0; i < 5; i++) {
            x *= 2 - a * x;
        }
        return x;
    }
}
