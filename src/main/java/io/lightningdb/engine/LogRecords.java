package io.lightningdb.engine;

import io.lightningdb.store.OrderedStore;
import io.lightningdb.wal.RecordVisitor;
import io.lightningdb.wal.WalCorruptException;
import io.lightningdb.wal.WalReader;
import io.lightningdb.wal.WalRecovery;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the database writes in the log: one record per write call, logical (keys and values, not
 * pages), so a record is as small as the write and replay is the write again. The record's two
 * payload parts: PUT a = key, b = value; DELETE a = key; BATCH a = the encoded operations (layout
 * below and in docs/file-format.md), applied all or none at replay because the record is; ABORT
 * a = the start LSN of a record whose write failed in the tree and was taken back (a full
 * database, say), so that replay does not apply what the caller was told failed.
 */
final class LogRecords {
    static final byte PUT = 1;
    static final byte DELETE = 2;
    static final byte BATCH = 3;
    /** a = u64 start LSN of an earlier record whose write failed and was taken back: replay skips it. */
    static final byte ABORT = 4;

    /** Batch payload: u32 operation count, then per operation u8 kind, u32 key length, u32 value length, key, value. */
    static final int BATCH_COUNT_SIZE = 4;
    static final int BATCH_OP_HEADER_SIZE = 9;
    static final byte OP_PUT = 1;
    static final byte OP_DELETE = 2;

    private LogRecords() {}

    /** The encoded operations: puts of {@code keys[i]} to {@code values[i]}, deletes where the value is null. */
    static MemorySegment encode(List<byte[]> keys, List<byte[]> values) {
        long size = BATCH_COUNT_SIZE;
        for (int i = 0; i < keys.size(); i++) {
            byte[] v = values.get(i);
            size += BATCH_OP_HEADER_SIZE + keys.get(i).length + (v == null ? 0 : v.length);
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("batch of " + size + " bytes exceeds the limit of " + (Integer.MAX_VALUE - 8));
        }
        byte[] out = new byte[(int) size];
        MemorySegment s = MemorySegment.ofArray(out);
        s.set(ValueLayout.JAVA_INT_UNALIGNED, 0, keys.size());
        long at = BATCH_COUNT_SIZE;
        for (int i = 0; i < keys.size(); i++) {
            byte[] k = keys.get(i);
            byte[] v = values.get(i);
            s.set(ValueLayout.JAVA_BYTE, at, v == null ? OP_DELETE : OP_PUT);
            s.set(ValueLayout.JAVA_INT_UNALIGNED, at + 1, k.length);
            s.set(ValueLayout.JAVA_INT_UNALIGNED, at + 5, v == null ? 0 : v.length);
            at += BATCH_OP_HEADER_SIZE;
            MemorySegment.copy(k, 0, s, ValueLayout.JAVA_BYTE, at, k.length);
            at += k.length;
            if (v != null) {
                MemorySegment.copy(v, 0, s, ValueLayout.JAVA_BYTE, at, v.length);
                at += v.length;
            }
        }
        return s;
    }

    /**
     * Replays the log of {@code walDir} from {@code fromLsn} into {@code tree}: each record is
     * applied as the write it was. A record whose CRC held but whose contents make no sense is
     * damage, reported with its LSN.
     */
    static WalRecovery replay(Path walDir, long fromLsn, OrderedStore tree) throws IOException {
        // Aborts are rare: one cheap pass finds them so the applying pass can skip their records.
        Set<Long> aborted = new HashSet<>();
        WalReader.read(walDir, fromLsn, (lsn, type, a, b) -> {
            if (type == ABORT) {
                if (a.byteSize() != Long.BYTES) {
                    throw bad(walDir, lsn, "an abort record of " + a.byteSize() + " bytes");
                }
                aborted.add(a.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            }
        });
        RecordVisitor apply = (lsn, type, a, b) -> {
            if (aborted.contains(lsn)) {
                return;
            }
            switch (type) {
                case ABORT -> { }
                case PUT -> tree.put(a, b == null ? MemorySegment.ofArray(new byte[0]) : b);
                case DELETE -> tree.delete(a);
                case BATCH -> applyBatch(walDir, lsn, a, tree);
                default -> throw new WalCorruptException(walDir + ": record at LSN " + lsn + " has unknown type " + type);
            }
        };
        return WalReader.read(walDir, fromLsn, apply);
    }

    /**
     * A batch record's operations, checked, then applied: a leaf run at a time when they are in
     * key order (every batch logged since batches are sorted), else one by one in record order.
     */
    private static void applyBatch(Path walDir, long lsn, MemorySegment a, OrderedStore tree) throws IOException {
        long size = a.byteSize();
        if (size < BATCH_COUNT_SIZE) {
            throw bad(walDir, lsn, "a batch record of " + size + " bytes");
        }
        int count = a.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
        if (count < 0 || count > (size - BATCH_COUNT_SIZE) / BATCH_OP_HEADER_SIZE) {
            throw bad(walDir, lsn, "a batch record of " + size + " bytes claiming " + count + " operations");
        }
        List<byte[]> keys = new ArrayList<>(count);
        List<byte[]> values = new ArrayList<>(count);
        long at = BATCH_COUNT_SIZE;
        for (int i = 0; i < count; i++) {
            if (at + BATCH_OP_HEADER_SIZE > size) {
                throw bad(walDir, lsn, "batch operation " + i + " past the record's end");
            }
            byte kind = a.get(ValueLayout.JAVA_BYTE, at);
            int klen = a.get(ValueLayout.JAVA_INT_UNALIGNED, at + 1);
            int vlen = a.get(ValueLayout.JAVA_INT_UNALIGNED, at + 5);
            at += BATCH_OP_HEADER_SIZE;
            if (klen < 1 || vlen < 0 || at + klen + (long) vlen > size || (kind != OP_PUT && kind != OP_DELETE)) {
                throw bad(walDir, lsn, "batch operation " + i + " (kind " + kind + ", key " + klen + " bytes, value "
                        + vlen + " bytes)");
            }
            keys.add(a.asSlice(at, klen).toArray(ValueLayout.JAVA_BYTE));
            at += klen;
            if (kind == OP_PUT) {
                values.add(a.asSlice(at, vlen).toArray(ValueLayout.JAVA_BYTE));
                at += vlen;
            } else {
                values.add(null);
            }
        }
        if (at != size) {
            throw bad(walDir, lsn, "a batch record with " + (size - at) + " bytes after its last operation");
        }
        if (SortedBatch.ascending(keys)) {
            for (int i = 0; i < count; ) {
                i = tree.applySorted(keys, values, i, null);
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            MemorySegment key = MemorySegment.ofArray(keys.get(i));
            byte[] v = values.get(i);
            if (v == null) {
                tree.delete(key);
            } else {
                tree.put(key, MemorySegment.ofArray(v));
            }
        }
    }

    private static WalCorruptException bad(Path walDir, long lsn, String what) {
        return new WalCorruptException(walDir + ": the log record at LSN " + lsn + " holds " + what);
    }
}
