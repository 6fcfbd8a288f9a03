package io.lightningdb.wal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NavigableMap;
import java.util.TreeMap;

/** The examples in the log's Javadoc, regions of compiled code (WalExamplesTest runs them). */
final class WalExamples {
    private WalExamples() {}

    /** The record type these examples log a put as (the engine's types are in engine.LogRecords). */
    static final byte PUT = 1;

    /** A tree stand-in: what replay and the writers apply the records to. */
    static NavigableMap<byte[], byte[]> newTree() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    static void lifecycle(Path dir, long checkpointLsn, NavigableMap<byte[], byte[]> tree, byte[] key, byte[] value)
            throws IOException {
        // @start region="lifecycle"
        WalRecovery r = WalReader.read(dir, checkpointLsn, (lsn, type, a, b) ->
                tree.put(a.toArray(ValueLayout.JAVA_BYTE), b.toArray(ValueLayout.JAVA_BYTE)));
        try (Wal wal = Wal.open(dir, WalConfig.defaults(), r.endLsn())) {
            long lsn = wal.append(PUT, MemorySegment.ofArray(key), MemorySegment.ofArray(value));
            tree.put(key, value);                           // applied after it is logged
            wal.awaitDurable(lsn);                          // acknowledged after this
        }
        // @end
    }

    static long append(Wal wal, Object keyLock, NavigableMap<byte[], byte[]> tree, byte[] key, byte[] value)
            throws IOException {
        // @start region="append"
        long lsn;
        synchronized (keyLock) {                        // the engine: the stripe of this key (KeyStripes)
            lsn = wal.append(PUT, MemorySegment.ofArray(key), MemorySegment.ofArray(value));
            tree.put(key, value);                       // so one key's records are in the tree's order
        }
        wal.awaitDurable(lsn);                          // outside: one sync takes in every writer waiting
        // @end
        return lsn;
    }

    static WalRecovery recover(Path dir, long checkpointLsn, NavigableMap<byte[], byte[]> tree) throws IOException {
        WalConfig config = WalConfig.defaults();
        // @start region="recover"
        WalRecovery r = WalReader.read(dir, checkpointLsn, (lsn, type, a, b) -> {
            if (type == PUT) {                          // a and b are valid during the call only: copied
                tree.put(a.toArray(ValueLayout.JAVA_BYTE), b.toArray(ValueLayout.JAVA_BYTE));
            }
        });
        Wal wal = Wal.open(dir, config, r.endLsn());    // appending resumes where the valid records end
        // @end
        wal.close();
        return r;
    }

    static long segmentName() {
        // @start region="segmentName"
        long start = WalFormat.parseSegmentName("wal-0000000000001000.log"); // 4096
        // @end
        return start;
    }

    static WalConfig syncMode() {
        // @start region="syncMode"
        WalConfig c = WalConfig.defaults().withSyncMode(SyncMode.SYNC);
        // @end
        return c;
    }

    static WalStats config(Path dir, WalRecovery recovery) throws IOException {
        // @start region="config"
        WalConfig c = new WalConfig(SyncMode.BATCH, 64, 500_000, 10_000_000, 64L << 20);
        try (Wal wal = Wal.open(dir, c, recovery.endLsn())) {
            return wal.stats(); // @replace substring="return wal.stats();" replacement="..."
        }
        // @end
    }

    static double stats(Wal wal) {
        // @start region="stats"
        WalStats s = wal.stats();
        double perSync = (double) s.appends() / Math.max(1, s.syncs());
        // @end
        return perSync;
    }
}
