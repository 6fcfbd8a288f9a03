package io.lightningdb.txn;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;

/**
 * A scan of a transaction's view: the tree as of the snapshot (the tree's entries, corrected by
 * old versions saved after the snapshot, plus keys deleted since that only old versions still
 * hold), overlaid with the transaction's own writes, in key order (or reverse).
 *
 * <p>Why reading the tree first and the versions after is right: a writer saves the old version
 * before it changes the tree. So when the tree showed a newer value, its old version is already
 * saved; and a key the tree did not show, with no version saved after the snapshot, was absent at
 * the snapshot too.
 */
public final class SnapshotScan {
    /** The tree's entries in the scan's range and order, read inside an epoch by the caller. */
    public interface TreeSource {
        boolean next();

        byte[] key();

        byte[] value();
    }

    private static final Comparator<byte[]> ASCENDING = Arrays::compareUnsigned;
    private static final Comparator<byte[]> DESCENDING = (a, b) -> Arrays.compareUnsigned(b, a);

    private final Mvcc mvcc;
    private final Snapshot snapshot;
    private final TreeSource tree;
    private final byte[] from;
    private final byte[] to;
    private final boolean reverse;
    private final boolean emptyRange;
    private final Comparator<byte[]> order;
    private final NavigableMap<byte[], VersionChain> versions;
    private final NavigableMap<byte[], byte[]> own;
    private byte[] treeKey;
    private boolean treeHas;
    private boolean treeDone;
    /** The last key passed (returned or found absent); the scan has covered everything up to it. */
    private byte[] last;
    private boolean done;
    private byte[] key;
    private byte[] value;

    public SnapshotScan(Mvcc mvcc, Snapshot snapshot, WriteSet own, TreeSource tree, byte[] from, byte[] to,
            boolean reverse) {
        this.mvcc = mvcc;
        this.snapshot = snapshot;
        this.tree = tree;
        this.from = from;
        this.to = to;
        this.reverse = reverse;
        this.order = reverse ? DESCENDING : ASCENDING;
        this.emptyRange = from != null && to != null && Arrays.compareUnsigned(from, to) >= 0;
        this.versions = emptyRange ? null : mvcc.versions().range(from, to, false, reverse);
        this.own = emptyRange ? null : own.range(from, to, reverse);
        this.done = emptyRange;
    }

    /** Advances to the next entry of the view; false at the end. */
    public boolean next() {
        key = null;
        value = null;
        while (!done) {
            if (!treeHas && !treeDone) {
                if (tree.next()) {
                    treeKey = tree.key();
                    treeHas = true;
                } else {
                    treeDone = true;
                }
            }
            // The snapshot's next key: the tree's, or an earlier one only an old version holds.
            byte[] vk = mvcc.versions().isEmpty() ? null : after(versions);
            byte[] sk = treeHas ? treeKey : vk;
            boolean fromTree = treeHas;
            if (treeHas && vk != null && order.compare(vk, treeKey) < 0) {
                sk = vk;
                fromTree = false;
            }
            byte[] wk = after(own);
            if (sk == null && wk == null) {
                done = true;
                return false;
            }
            if (wk != null && (sk == null || order.compare(wk, sk) <= 0)) {
                if (fromTree && sk != null && order.compare(wk, sk) == 0) {
                    treeHas = false;
                }
                last = wk;
                byte[] v = own.get(wk);
                if (v != WriteSet.DELETED) {
                    return emit(wk, v.clone());
                }
                continue;
            }
            last = sk;
            byte[] v;
            if (fromTree) {
                treeHas = false;
                v = mvcc.read(snapshot, sk, tree.value());
            } else {
                v = mvcc.read(snapshot, sk, null); // absent from the tree when the cursor passed it
            }
            if (v != null) {
                return emit(sk, v);
            }
        }
        return false;
    }

    private boolean emit(byte[] k, byte[] v) {
        key = k;
        value = v;
        return true;
    }

    private <V> byte[] after(NavigableMap<byte[], V> m) {
        if (last == null) {
            Map.Entry<byte[], V> e = m.firstEntry();
            return e == null ? null : e.getKey();
        }
        return m.higherKey(last);
    }

    /** The current key (owned by the scan: copy to keep past the next call). */
    public byte[] key() {
        check();
        return key;
    }

    /** The current value (owned by the scan). */
    public byte[] value() {
        check();
        return value;
    }

    private void check() {
        if (key == null) {
            throw new IllegalStateException("cursor is not on an entry: call next() first and check it returned true");
        }
    }

    /**
     * The first key in the part of the range this scan got through that a write after {@code s}
     * changed (a phantom or a changed row), or null.
     */
    byte[] firstChangedInCovered(Mvcc m, Snapshot s) {
        if (emptyRange) {
            return null;
        }
        if (done) {
            return m.firstChangedIn(s, from, to, false);
        }
        if (last == null) {
            return null;
        }
        return reverse ? m.firstChangedIn(s, last, to, false) : m.firstChangedIn(s, from, last, true);
    }
}
