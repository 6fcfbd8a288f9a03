package io.lightningdb.crash;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.IsolationLevel;
import io.lightningdb.Transaction;
import io.lightningdb.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The endless, deterministic write history of one seed: operation {@code i} is a pure function of
 * (seed, i), so the writer child, the checking parent and a replay all agree on it without
 * exchanging anything but op indexes.
 *
 * <p>An op is one put or delete, or several writes that are all or nothing: a batch, or a
 * transaction (SNAPSHOT or SERIALIZABLE) that reads, writes and commits. So the crash checker's
 * prefixes treat a committed transaction exactly like an atomic batch.
 *
 * <p>Every value starts with a header naming the op, the position within the op (batches and
 * transactions) and the key it was written for; the rest is derived from the same three numbers.
 * A value found on disk therefore says which op wrote it, and a torn or misplaced value is
 * detectable on its own.
 */
final class History {
    static final int KEY_SPACE = 2_000;
    /** Keys 0..HOT_KEYS-1 take a third of the writes, so keys are overwritten and deleted often. */
    static final int HOT_KEYS = 100;
    static final int MAX_BATCH = 20;
    /** Writes in a transaction op (fewer than a batch: each has its reads and own-write checks too). */
    static final int MAX_TXN = 10;

    // Value header: op index (8 bytes), position in the op (2), key id (2), value length (4).
    static final int OFF_OP = 0;
    static final int OFF_SUB = 8;
    static final int OFF_KEY = 10;
    static final int OFF_LENGTH = 12;
    static final int HEADER = 16;

    /** One put (valueLength >= 0 bytes of payload after the header) or delete (valueLength -1). */
    record Write(int sub, int keyId, int valueLength) {
        boolean isDelete() {
            return valueLength < 0;
        }
    }

    /** How an op is applied: one call, a {@code WriteBatch}, or a transaction at either isolation level. */
    enum Kind {
        SINGLE, BATCH, SNAPSHOT_TXN, SERIALIZABLE_TXN;

        boolean transaction() {
            return this == SNAPSHOT_TXN || this == SERIALIZABLE_TXN;
        }
    }

    /**
     * Operation {@code index}: a single put or delete, or several writes that are all or nothing
     * (a batch, or a transaction committed as one).
     */
    record Op(long index, Kind kind, List<Write> writes) {
        boolean single() {
            return kind == Kind.SINGLE;
        }
    }

    private final long seed;

    History(long seed) {
        this.seed = seed;
    }

    long seed() {
        return seed;
    }

    Op op(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("op index must be >= 0, got " + index);
        }
        SplittableRandom r = new SplittableRandom(mix(seed, index));
        int kind = r.nextInt(100);
        if (kind < 15) {
            return new Op(index, Kind.SINGLE, List.of(new Write(0, keyId(r), -1)));
        }
        if (kind < 30) {
            return new Op(index, Kind.BATCH, writes(r, r.nextInt(2, MAX_BATCH + 1)));
        }
        if (kind < 42) {
            Kind k = r.nextBoolean() ? Kind.SNAPSHOT_TXN : Kind.SERIALIZABLE_TXN;
            return new Op(index, k, writes(r, r.nextInt(1, MAX_TXN + 1)));
        }
        return new Op(index, Kind.SINGLE, List.of(new Write(0, keyId(r), valueLength(r))));
    }

    /** n writes, a quarter of them deletes; keys may repeat (the last write to a key counts). */
    private static List<Write> writes(SplittableRandom r, int n) {
        List<Write> writes = new ArrayList<>(n);
        for (int sub = 0; sub < n; sub++) {
            writes.add(new Write(sub, keyId(r), r.nextInt(4) == 0 ? -1 : valueLength(r)));
        }
        return List.copyOf(writes);
    }

    private static int keyId(SplittableRandom r) {
        return r.nextInt(3) == 0 ? r.nextInt(HOT_KEYS) : r.nextInt(KEY_SPACE);
    }

    /**
     * Mostly small, some of about 1 KB (kept in value pages by default), some spanning pages, a
     * few large enough for overflow chains.
     */
    private static int valueLength(SplittableRandom r) {
        int p = r.nextInt(100);
        if (p < 78) {
            return r.nextInt(201);
        }
        if (p < 88) {
            return r.nextInt(500, 1501);
        }
        if (p < 97) {
            return r.nextInt(1 << 10, (16 << 10) + 1);
        }
        return r.nextInt(20 << 10, (100 << 10) + 1);
    }

    /** Key bytes: a fixed-width id (so byte order is id order) and a filler that varies key lengths. */
    static byte[] key(int keyId) {
        return keyName(keyId).getBytes(StandardCharsets.US_ASCII);
    }

    static String keyName(int keyId) {
        return String.format("k%04d", keyId) + "-".repeat(keyId % 23);
    }

    /** The value op {@code op} writes at position {@code sub}: header plus derived payload. */
    byte[] value(long op, Write w) {
        byte[] v = new byte[HEADER + w.valueLength()];
        ByteBuffer b = ByteBuffer.wrap(v);
        b.putLong(OFF_OP, op).putShort(OFF_SUB, (short) w.sub()).putShort(OFF_KEY, (short) w.keyId()).putInt(OFF_LENGTH, v.length);
        SplittableRandom r = new SplittableRandom(mix(seed ^ 0x5DEECE66DL, op * MAX_BATCH + w.sub()));
        int i = HEADER;
        for (; i + 8 <= v.length; i += 8) {
            b.putLong(i, r.nextLong());
        }
        for (long x = r.nextLong(); i < v.length; i++, x >>>= 8) {
            v[i] = (byte) x;
        }
        return v;
    }

    /** Applies op to the database the way an application would: one call, one batch or one transaction per op. */
    void apply(Database db, Op op) {
        switch (op.kind()) {
            case SINGLE -> {
                Write w = op.writes().getFirst();
                if (w.isDelete()) {
                    db.delete(key(w.keyId()));
                } else {
                    db.put(key(w.keyId()), value(op.index(), w));
                }
            }
            case BATCH -> {
                WriteBatch batch = db.newWriteBatch();
                for (Write w : op.writes()) {
                    if (w.isDelete()) {
                        batch.delete(key(w.keyId()));
                    } else {
                        batch.put(key(w.keyId()), value(op.index(), w));
                    }
                }
                db.write(batch);
            }
            case SNAPSHOT_TXN, SERIALIZABLE_TXN -> applyInTransaction(db, op);
        }
    }

    /**
     * Applies op in a transaction: reads its first key and the next few entries (under SERIALIZABLE
     * they join the commit's checks, which this lone writer must pass), writes, reads its own writes
     * back, commits. Throws {@link IllegalStateException} when a value read is not one a write stored.
     */
    private void applyInTransaction(Database db, Op op) {
        IsolationLevel level =
                op.kind() == Kind.SERIALIZABLE_TXN ? IsolationLevel.SERIALIZABLE : IsolationLevel.SNAPSHOT;
        try (Transaction tx = db.begin(level)) {
            int first = op.writes().getFirst().keyId();
            byte[] before = tx.get(key(first));
            if (before != null) {
                decode(keyName(first), before);
            }
            try (Cursor c = tx.scan(key(first), null)) {
                for (int i = 0; i < 3 && c.next(); i++) {
                    decode(new String(c.key(), StandardCharsets.US_ASCII), c.value());
                }
            }
            Map<Integer, byte[]> own = new HashMap<>();
            for (Write w : op.writes()) {
                byte[] v = w.isDelete() ? null : value(op.index(), w);
                own.put(w.keyId(), v);
                if (v == null) {
                    tx.delete(key(w.keyId()));
                } else {
                    tx.put(key(w.keyId()), v);
                }
            }
            for (Map.Entry<Integer, byte[]> e : own.entrySet()) {
                if (!Arrays.equals(e.getValue(), tx.get(key(e.getKey())))) {
                    throw new IllegalStateException("op " + op.index() + ": its transaction does not read back its own "
                            + "write to key '" + keyName(e.getKey()) + "'");
                }
            }
            tx.commit();
        }
    }

    /**
     * Which write a stored value came from, as {@link #ref}; throws {@link IllegalStateException}
     * naming the key when the value is not byte for byte what its header claims.
     */
    long decode(String key, byte[] v) {
        if (v.length < HEADER) {
            throw new IllegalStateException("key '" + key + "': value of " + v.length + " bytes is shorter than the "
                    + HEADER + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        long op = b.getLong(OFF_OP);
        int sub = b.getShort(OFF_SUB);
        int keyId = b.getShort(OFF_KEY);
        int length = b.getInt(OFF_LENGTH);
        if (op < 0 || sub < 0 || sub >= MAX_BATCH || keyId < 0 || keyId >= KEY_SPACE) {
            throw new IllegalStateException("key '" + key + "': value header is garbage (op " + op + ", sub " + sub
                    + ", key id " + keyId + ")");
        }
        if (length != v.length) {
            throw new IllegalStateException("key '" + key + "': value of " + v.length + " bytes, its header says "
                    + length + " (op " + op + ")");
        }
        if (!keyName(keyId).equals(key)) {
            throw new IllegalStateException("key '" + key + "': holds the value op " + op + " wrote for key '"
                    + keyName(keyId) + "'");
        }
        byte[] expected = value(op, new Write(sub, keyId, v.length - HEADER));
        if (!java.util.Arrays.equals(expected, v)) {
            throw new IllegalStateException("key '" + key + "': value of " + v.length + " bytes claims op " + op
                    + " sub " + sub + " but its payload differs (torn or corrupt)");
        }
        return ref(op, sub);
    }

    /** One long naming a write: op index and position within the op. */
    static long ref(long op, int sub) {
        return op * MAX_BATCH + sub;
    }

    static String describe(Long ref) {
        if (ref == null) {
            return "absent";
        }
        long op = ref / MAX_BATCH;
        int sub = (int) (ref % MAX_BATCH);
        return "op " + op + (sub == 0 ? "" : " (batch position " + sub + ")");
    }

    private static long mix(long seed, long index) {
        return mix64(seed + mix64(index + 0x9E3779B97F4A7C15L));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
