package io.lightningdb.txn;

import java.util.Arrays;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Old versions of keys changed while a snapshot was open, ordered by key (scans merge them with
 * the tree) and queued in write order (so collecting is a walk from the queue's head, not a sweep).
 * One writer at a time adds (a writer alone in the engine's writer gate); one collector at a time removes;
 * readers only look. Chains are replaced whole with compare-and-set, so readers never lock.
 */
final class VersionStore {
    private final ConcurrentSkipListMap<byte[], VersionChain> chains =
            new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
    /** (stamp, key) of every entry added, in stamp order. */
    private final ConcurrentLinkedQueue<Pending> order = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();

    private record Pending(long stamp, byte[] key) {}

    /** Whether no old version is kept: readers then take the tree's value as it is. */
    boolean isEmpty() {
        return entries.get() == 0;
    }

    long bytes() {
        return bytes.get();
    }

    long entries() {
        return entries.get();
    }

    /**
     * Records that before the write stamped {@code stamp}, {@code key} held {@code value} (null:
     * absent). Called before the tree changes, so a reader that sees the new value finds this entry.
     * {@code key} must not be changed afterwards.
     */
    void add(long stamp, byte[] key, byte[] value) {
        while (true) {
            VersionChain c = chains.get(key);
            if (c == null) {
                VersionChain n = VersionChain.of(stamp, key, value);
                if (chains.putIfAbsent(key, n) == null) {
                    account(n.bytes(), 1);
                    break;
                }
            } else {
                VersionChain n = c.with(stamp, key, value);
                if (chains.replace(key, c, n)) {
                    account(n.bytes() - c.bytes(), 1);
                    break;
                }
            }
        }
        order.add(new Pending(stamp, key));
    }

    private void account(long deltaBytes, long deltaEntries) {
        bytes.addAndGet(deltaBytes);
        entries.addAndGet(deltaEntries);
    }

    /** See {@link VersionChain#valueAt}; {@link VersionChain#UNCHANGED} when the key has no chain. */
    byte[] valueAt(byte[] key, long snapshot) {
        VersionChain c = chains.get(key);
        return c == null ? VersionChain.UNCHANGED : c.valueAt(snapshot);
    }

    /** Whether a write stamped after {@code snapshot} changed {@code key}. */
    boolean changedAfter(byte[] key, long snapshot) {
        VersionChain c = chains.get(key);
        return c != null && c.newest() > snapshot;
    }

    /**
     * The first key in [{@code from}, {@code to}] (null bounds are open; {@code toInclusive} says
     * whether {@code to} counts) that a write stamped after {@code snapshot} changed, or null.
     */
    byte[] firstChangedIn(byte[] from, byte[] to, boolean toInclusive, long snapshot) {
        for (var e : range(from, to, toInclusive, false).entrySet()) {
            if (e.getValue().newest() > snapshot) {
                return e.getKey();
            }
        }
        return null;
    }

    /** A live view of the chains with keys in [from, to) (or to inclusive), in ascending or descending order. */
    NavigableMap<byte[], VersionChain> range(byte[] from, byte[] to, boolean toInclusive, boolean descending) {
        NavigableMap<byte[], VersionChain> m = chains;
        if (from != null && to != null) {
            m = chains.subMap(from, true, to, toInclusive);
        } else if (from != null) {
            m = chains.tailMap(from, true);
        } else if (to != null) {
            m = chains.headMap(to, toInclusive);
        }
        return descending ? m.descendingMap() : m;
    }

    /**
     * Drops every entry stamped at or before {@code horizon}: no open snapshot is older, so none
     * can need them. One collector at a time.
     */
    void collect(long horizon) {
        Pending p;
        while ((p = order.peek()) != null && p.stamp() <= horizon) {
            order.poll();
            dropUpTo(p.key(), horizon);
        }
    }

    private void dropUpTo(byte[] key, long horizon) {
        while (true) {
            VersionChain c = chains.get(key);
            if (c == null) {
                return;
            }
            VersionChain n = c.dropUpTo(horizon, key);
            if (n == c) {
                return;
            }
            if (n == null ? chains.remove(key, c) : chains.replace(key, c, n)) {
                account(-(c.bytes() - (n == null ? 0 : n.bytes())), -(c.size() - (n == null ? 0 : n.size())));
                return;
            }
        }
    }
}
