package io.lightningdb.jmh.kv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Keys and values of the key-value benchmarks. A key is 16 bytes: the key number big-endian in
 * bytes 0-7, then 8 bytes of padding, as db_bench lays out its 16-byte keys; compared as unsigned
 * bytes, ascending key numbers are ascending keys, so "sequential" means in key order. A value is
 * 100 random (incompressible) bytes whose first 8 hold the key number and next 8 a version, so a
 * read can be checked against the key it asked for.
 */
public final class Keys {
    public static final int KEY_SIZE = 16;
    public static final int VALUE_SIZE = 100;
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long PADDING = 0x3030303030303030L; // "00000000", db_bench's filler
    private static final byte[] TEMPLATE = new byte[VALUE_SIZE];

    static {
        new SplittableRandom(0x5EED).nextBytes(TEMPLATE);
    }

    private Keys() {}

    /** The key of key number {@code n}. */
    public static byte[] key(long n) {
        byte[] k = new byte[KEY_SIZE];
        LONG_BE.set(k, 0, n);
        LONG_BE.set(k, 8, PADDING);
        return k;
    }

    /** The key number of a key made by {@link #key}. */
    public static long number(byte[] key) {
        return (long) LONG_BE.get(key, 0);
    }

    /** A value for key number {@code n} at {@code version}. */
    public static byte[] value(long n, long version) {
        byte[] v = TEMPLATE.clone();
        LONG_BE.set(v, 0, n);
        LONG_BE.set(v, 8, version);
        return v;
    }

    /** Throws unless {@code value} is a value of key number {@code n}. */
    public static void check(long n, byte[] value) {
        if (value == null) {
            throw new IllegalStateException("key " + n + ": missing");
        }
        if (value.length != VALUE_SIZE || (long) LONG_BE.get(value, 0) != n) {
            throw new IllegalStateException("key " + n + ": wrong value of " + value.length + " bytes for key "
                    + (value.length >= 8 ? (long) LONG_BE.get(value, 0) : -1));
        }
    }

    /** 0..n-1 in a random order fixed by {@code seed} (Fisher-Yates). */
    public static int[] shuffled(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
