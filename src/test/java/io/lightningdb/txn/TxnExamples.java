package io.lightningdb.txn;

import java.util.Arrays;
import java.util.NavigableMap;
import java.util.TreeMap;

/** The examples in the transactions' Javadoc, regions of compiled code (TxnExamplesTest runs them). */
final class TxnExamples {
    private TxnExamples() {}

    /** A single-version tree stand-in: the newest value of every key. */
    private final NavigableMap<byte[], byte[]> tree = new TreeMap<>(Arrays::compareUnsigned);

    TxnExamples(byte[] key, byte[] value) {
        tree.put(key, value);
    }

    private byte[] treeGet(byte[] key) {
        return tree.get(key);
    }

    private void treePut(byte[] key, byte[] value) {
        tree.put(key, value);
    }

    /** Returns what the snapshot, opened before the write, reads afterwards. */
    byte[] snapshotAcrossWrite(byte[] key, byte[] value) {
        Runnable waitForUnstampedWriters = () -> { };
        // @start region="protocol"
        Mvcc mvcc = new Mvcc(64L << 20, waitForUnstampedWriters);
        Snapshot s = mvcc.begin();                    // a reader

        long t = mvcc.openWrite();                    // a writer, alone
        if (mvcc.keeping()) mvcc.remember(t, key, treeGet(key));
        treePut(key, value);
        mvcc.publish(t);
        mvcc.afterWrite();

        byte[] v = mvcc.read(s, key, treeGet(key));   // the value s saw, not the one written after it
        mvcc.end(s);
        // @end
        return v;
    }

    static Mvcc config() {
        // @start region="config"
        TxnConfig c = new TxnConfig(10_000, 1_000_000_000L, 5, 1_000_000L, 64L << 20, true);
        Mvcc mvcc = new Mvcc(c.maxVersionBytes(), () -> {});
        // @end
        return mvcc;
    }
}
