package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where to cut a key range into parts of about equal size for a parallel scan: the separators of
 * the tree's inner nodes inside the range, from the root down, one level at a time until a level
 * has enough of them (or the level above the leaves is reached), then spread evenly. The keys are
 * read optimistically and are only cut points: any keys inside the range cut it correctly, since
 * each part is scanned by an ordinary cursor; a node split or merged meanwhile only makes the
 * parts less even.
 */
final class SplitPoints {
    /** Inner nodes read at most for one answer: the cost stays a few hundred page reads. */
    private static final int MAX_NODES = 4096;
    /** Optimistic reads of one node before it is left out. */
    private static final int TRIES = 8;

    private SplitPoints() {}

    /** Up to {@code parts - 1} keys strictly inside {@code (from, to)}, ascending. Inside an epoch. */
    static List<byte[]> of(BTree t, byte[] from, byte[] to, int parts) throws IOException {
        if (parts <= 1 || t.height() <= 1) {
            return List.of();
        }
        List<Long> nodes = List.of(t.rootPage());
        List<byte[]> keys = new ArrayList<>();
        for (int level = t.height() - 1; level >= 1 && !nodes.isEmpty(); level--) {
            keys = new ArrayList<>();
            List<Long> children = new ArrayList<>();
            for (long pid : nodes) {
                read(t, pid, level, from, to, keys, children);
            }
            if (keys.size() >= parts - 1 || level == 1 || children.size() > MAX_NODES) {
                break;
            }
            nodes = children;
        }
        keys.sort(Arrays::compareUnsigned);
        if (keys.size() <= parts - 1) {
            return keys;
        }
        List<byte[]> spread = new ArrayList<>(parts - 1);
        for (int i = 1; i < parts; i++) {
            spread.add(keys.get((int) ((long) i * keys.size() / parts)));
        }
        return spread;
    }

    /** Adds node {@code pid}'s separators inside the range to {@code keys} and the children whose ranges meet it to {@code children}. */
    private static void read(BTree t, long pid, int level, byte[] from, byte[] to, List<byte[]> keys,
            List<Long> children) throws IOException {
        for (int attempt = 0; attempt < TRIES; attempt++) {
            long w = t.pool.readLatch(pid);
            MemorySegment p = t.pool.page(pid);
            List<byte[]> k = new ArrayList<>();
            List<Long> c = new ArrayList<>();
            try {
                if (NodeLayout.type(p) != PageTypes.INNER || NodeLayout.level(p) != level) {
                    if (t.pool.validate(pid, w)) {
                        return; // split into, merged away or freed since its parent was read: left out
                    }
                    continue;
                }
                int n = Nodes.clampedCount(p);
                byte[] prev = null; // the lower bound of the child being looked at (null: the node's own)
                long child = leftmost(p);
                for (int i = 0; i <= n; i++) {
                    byte[] sep = i < n ? key(p, slot(p, n, i)) : null;
                    // The child covers [prev, sep): it meets the range unless it ends at or before
                    // `from` or starts at or after `to`.
                    boolean endsBefore = from != null && sep != null && Arrays.compareUnsigned(sep, from) <= 0;
                    boolean startsAfter = to != null && prev != null && Arrays.compareUnsigned(prev, to) >= 0;
                    if (!endsBefore && !startsAfter) {
                        c.add(child);
                    }
                    if (sep != null && (from == null || Arrays.compareUnsigned(sep, from) > 0)
                            && (to == null || Arrays.compareUnsigned(sep, to) < 0)) {
                        k.add(sep);
                    }
                    if (i < n) {
                        child = child(p, slot(p, n, i));
                    }
                    prev = sep;
                }
            } catch (RuntimeException torn) {
                if (t.pool.validate(pid, w)) {
                    throw t.corrupt(pid, torn);
                }
                continue;
            }
            if (t.pool.validate(pid, w)) {
                keys.addAll(k);
                children.addAll(c);
                return;
            }
        }
    }

    private static byte[] key(MemorySegment p, int cell) {
        return p.asSlice(innerKeyOffset(cell), keyLen(p, cell)).toArray(ValueLayout.JAVA_BYTE);
    }
}
