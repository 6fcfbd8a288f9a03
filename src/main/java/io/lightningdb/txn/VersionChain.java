package io.lightningdb.txn;

import java.util.Arrays;

/**
 * The old versions of one key, oldest first: entry i says "before the write stamped
 * {@code stamps[i]}, the key held {@code values[i]}" (null: it was absent). Immutable; writers and
 * the collector replace a chain whole, so a reader holding one sees a consistent list.
 */
final class VersionChain {
    /** What {@link #valueAt} returns when no write after the snapshot touched the key. */
    static final byte[] UNCHANGED = new byte[0];
    /** Heap bytes an entry costs besides its key and value (array slots, headers, queue node). */
    static final long ENTRY_OVERHEAD = 64;

    private final long[] stamps;
    private final byte[][] values;
    private final long bytes;

    private VersionChain(long[] stamps, byte[][] values, long bytes) {
        this.stamps = stamps;
        this.values = values;
        this.bytes = bytes;
    }

    static long entryBytes(byte[] key, byte[] value) {
        return key.length + (value == null ? 0 : value.length) + ENTRY_OVERHEAD;
    }

    static VersionChain of(long stamp, byte[] key, byte[] value) {
        return new VersionChain(new long[] {stamp}, new byte[][] {value}, entryBytes(key, value));
    }

    /** This chain with one more (newest) entry. */
    VersionChain with(long stamp, byte[] key, byte[] value) {
        int n = stamps.length;
        long[] s = Arrays.copyOf(stamps, n + 1);
        byte[][] v = Arrays.copyOf(values, n + 1);
        s[n] = stamp;
        v[n] = value;
        return new VersionChain(s, v, bytes + entryBytes(key, value));
    }

    /**
     * The chain without the entries stamped at or before {@code horizon} (no snapshot can need
     * them), or null when none is left; this same chain when nothing goes.
     */
    VersionChain dropUpTo(long horizon, byte[] key) {
        int keep = 0;
        while (keep < stamps.length && stamps[keep] <= horizon) {
            keep++;
        }
        if (keep == 0) {
            return this;
        }
        if (keep == stamps.length) {
            return null;
        }
        long[] s = Arrays.copyOfRange(stamps, keep, stamps.length);
        byte[][] v = Arrays.copyOfRange(values, keep, values.length);
        long b = 0;
        for (byte[] value : v) {
            b += entryBytes(key, value);
        }
        return new VersionChain(s, v, b);
    }

    /**
     * The key's value as of snapshot {@code snapshot}: the value before the first write stamped
     * after it (null: absent), or {@link #UNCHANGED} when no kept write came after it.
     */
    byte[] valueAt(long snapshot) {
        for (int i = 0; i < stamps.length; i++) {
            if (stamps[i] > snapshot) {
                return values[i];
            }
        }
        return UNCHANGED;
    }

    /** The newest write's stamp. */
    long newest() {
        return stamps[stamps.length - 1];
    }

    int size() {
        return stamps.length;
    }

    /** Heap bytes the entries hold (keys counted per entry). */
    long bytes() {
        return bytes;
    }
}
