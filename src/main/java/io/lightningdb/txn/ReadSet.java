package io.lightningdb.txn;

import java.util.ArrayList;
import java.util.List;

/**
 * What a SERIALIZABLE transaction read: keys (present or absent) and scanned ranges. At commit
 * each is checked against writes published since the snapshot; any change refuses the commit, so
 * the transaction's reads were still true at its commit point and it serializes there.
 */
public final class ReadSet {
    private final List<byte[]> keys = new ArrayList<>();
    private final List<SnapshotScan> scans = new ArrayList<>();

    /** Records a read of {@code key} (a private copy). */
    public void key(byte[] key) {
        keys.add(key);
    }

    /** Records a scan; the part of its range it got through is checked at commit. */
    public void scan(SnapshotScan scan) {
        scans.add(scan);
    }

    /**
     * The first key read or scanned that a write after {@code s} changed, or null when every read
     * still holds.
     */
    public byte[] firstConflict(Mvcc mvcc, Snapshot s) {
        for (byte[] k : keys) {
            if (mvcc.changedAfter(s.stamp(), k)) {
                return k;
            }
        }
        for (SnapshotScan scan : scans) {
            byte[] k = scan.firstChangedInCovered(mvcc, s);
            if (k != null) {
                return k;
            }
        }
        return null;
    }
}
