package io.lightningdb.txn;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A transaction's own writes, buffered until commit, in key order (scans merge them with the
 * snapshot). A delete is kept as {@link #DELETED}, so it hides the key from the transaction's reads.
 */
public final class WriteSet {
    /** The value recorded for a deleted key (compared by identity). */
    public static final byte[] DELETED = new byte[0];

    private final TreeMap<byte[], byte[]> writes = new TreeMap<>(Arrays::compareUnsigned);

    /** Records a put ({@code value}) or delete ({@link #DELETED}); both arrays must be private copies. */
    public void put(byte[] key, byte[] value) {
        writes.put(key, value);
    }

    /** The transaction's own value for {@code key}: null if it did not write it, {@link #DELETED} if it deleted it. */
    public byte[] get(byte[] key) {
        return writes.isEmpty() ? null : writes.get(key);
    }

    public boolean isEmpty() {
        return writes.isEmpty();
    }

    public int size() {
        return writes.size();
    }

    /** Every write in key order. */
    public Iterable<Map.Entry<byte[], byte[]>> entries() {
        return writes.entrySet();
    }

    /** A live view of the writes in [from, to) (null bounds open, from below to), ascending or descending. */
    NavigableMap<byte[], byte[]> range(byte[] from, byte[] to, boolean descending) {
        NavigableMap<byte[], byte[]> m = writes;
        if (from != null && to != null) {
            m = writes.subMap(from, true, to, false);
        } else if (from != null) {
            m = writes.tailMap(from, true);
        } else if (to != null) {
            m = writes.headMap(to, false);
        }
        return descending ? m.descendingMap() : m;
    }
}
