package io.lightningdb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The reference model {@link TransactionModelTest} checks the engine against: every committed
 * write per key as (commit stamp, value or absent), and per open transaction its snapshot stamp,
 * own writes, keys read and scans with the part each cursor went through. Keys and values are
 * ASCII strings, so String order is the engine's unsigned byte order.
 *
 * <p>The commit rule it encodes: a transaction with writes is refused iff a key it writes has a
 * commit after its snapshot, or it is SERIALIZABLE and a key it read (present or absent), or any
 * key in the covered part of a range it scanned, has one. Without writes it always commits.
 */
final class TransactionModel {
    /** One committed write: before or at {@code stamp} snapshots see the previous value, after it this one. */
    record Version(long stamp, String value) {}

    /** A put ({@code value} non-null) or delete ({@code value} null) of one committed write. */
    record Write(String key, String value) {}

    /** An open transaction as the model sees it. */
    static final class Txn {
        final Transaction tx;
        final String name;
        final IsolationLevel level;
        final boolean readOnly;
        final long snapshot;
        /** Own writes, buffered until commit; a null value is a delete. */
        final TreeMap<String, String> own = new TreeMap<>();
        /** Keys read from the snapshot (not from own writes), in order. */
        final List<String> reads = new ArrayList<>();
        final List<Scan> scans = new ArrayList<>();

        Txn(Transaction tx, String name, IsolationLevel level, boolean readOnly, long snapshot) {
            this.tx = tx;
            this.name = name;
            this.level = level;
            this.readOnly = readOnly;
            this.snapshot = snapshot;
        }

        /** Whether reads and scans are checked at commit. */
        boolean serializable() {
            return level == IsolationLevel.SERIALIZABLE && !readOnly;
        }
    }

    /** A scan of a transaction's view over [from, to) (null bounds open) and how far its cursor went. */
    static final class Scan {
        final Cursor cursor;
        final String from;
        final String to;
        final boolean reverse;
        /** The last key the cursor returned, or null before the first. */
        String last;
        /** Whether next() returned false: the whole range is covered. */
        boolean done;
        boolean closed;

        Scan(Cursor cursor, String from, String to, boolean reverse) {
            this.cursor = cursor;
            this.from = from;
            this.to = to;
            this.reverse = reverse;
        }

        @Override
        public String toString() {
            return (reverse ? "scanReverse[" : "scan[") + from + ", " + to + ")";
        }
    }

    private final TreeMap<String, List<Version>> history = new TreeMap<>();
    /** The stamp of the last committed write; a snapshot taken now sees everything up to it. */
    private long stamp;
    /** Stamps of the old versions the engine keeps: one per key written while a snapshot was open. */
    private final ArrayDeque<Long> kept = new ArrayDeque<>();

    long stamp() {
        return stamp;
    }

    /**
     * Applies one committed write op (a put, delete, batch or transaction): one stamp for all its
     * writes, in order. With a snapshot open, each write keeps the old version for it.
     */
    void commit(List<Write> writes, boolean snapshotOpen) {
        stamp++;
        for (Write w : writes) {
            history.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(new Version(stamp, w.value()));
            if (snapshotOpen) {
                kept.add(stamp);
            }
        }
    }

    /** Own writes in key order as the write op their commit is. */
    static List<Write> writes(Txn t) {
        List<Write> out = new ArrayList<>();
        for (Map.Entry<String, String> e : t.own.entrySet()) {
            out.add(new Write(e.getKey(), e.getValue()));
        }
        return out;
    }

    /**
     * How many old versions the engine may hold when the oldest open snapshot is at
     * {@code horizon}: those stamped after it (versions are dropped as soon as no open snapshot
     * is older than them).
     */
    int keptAfter(long horizon) {
        while (!kept.isEmpty() && kept.peekFirst() <= horizon) {
            kept.removeFirst();
        }
        return kept.size();
    }

    /** With no transaction open, only each key's latest state matters: drops the rest. */
    void compact() {
        history.entrySet().removeIf(e -> e.getValue().getLast().value() == null);
        history.replaceAll((k, h) -> new ArrayList<>(List.of(h.getLast())));
        kept.clear();
    }

    String valueAt(String key, long snapshot) {
        String v = null;
        for (Version x : history.getOrDefault(key, List.of())) {
            if (x.stamp() > snapshot) {
                break;
            }
            v = x.value();
        }
        return v;
    }

    NavigableMap<String, String> stateAt(long snapshot) {
        TreeMap<String, String> state = new TreeMap<>();
        for (String k : history.keySet()) {
            String v = valueAt(k, snapshot);
            if (v != null) {
                state.put(k, v);
            }
        }
        return state;
    }

    NavigableMap<String, String> latest() {
        return stateAt(stamp);
    }

    /** The transaction's view: its snapshot overlaid with its own writes. */
    NavigableMap<String, String> view(Txn t) {
        NavigableMap<String, String> v = stateAt(t.snapshot);
        t.own.forEach((k, val) -> {
            if (val == null) {
                v.remove(k);
            } else {
                v.put(k, val);
            }
        });
        return v;
    }

    /** Entries of {@code m} in [from, to) (null bounds open; empty when from >= to). */
    static <V> NavigableMap<String, V> range(NavigableMap<String, V> m, String from, String to) {
        if (from != null && to != null) {
            return from.compareTo(to) < 0 ? m.subMap(from, true, to, false) : Collections.emptyNavigableMap();
        }
        if (from != null) {
            return m.tailMap(from, true);
        }
        return to != null ? m.headMap(to, false) : m;
    }

    /** The entry the scan's cursor must return next (its view now, after the last key returned), or null at the end. */
    Map.Entry<String, String> next(Txn t, Scan s) {
        if (s.done) {
            return null;
        }
        NavigableMap<String, String> r = range(view(t), s.from, s.to);
        if (s.reverse) {
            return s.last == null ? r.lastEntry() : r.lowerEntry(s.last);
        }
        return s.last == null ? r.firstEntry() : r.higherEntry(s.last);
    }

    boolean changedAfter(String key, long snapshot) {
        List<Version> h = history.get(key);
        return h != null && h.getLast().stamp() > snapshot;
    }

    /** The keys that refuse {@code t}'s commit; empty when it commits. */
    SortedSet<String> conflicts(Txn t) {
        TreeSet<String> c = new TreeSet<>();
        if (t.own.isEmpty()) {
            return c;
        }
        for (String k : t.own.keySet()) {
            if (changedAfter(k, t.snapshot)) {
                c.add(k);
            }
        }
        if (!t.serializable()) {
            return c;
        }
        for (String k : t.reads) {
            if (changedAfter(k, t.snapshot)) {
                c.add(k);
            }
        }
        for (Scan s : t.scans) {
            for (String k : covered(s).keySet()) {
                if (changedAfter(k, t.snapshot)) {
                    c.add(k);
                }
            }
        }
        return c;
    }

    /**
     * The committed keys in the part of the scan's range the cursor went through: all of it after
     * next() returned false, else [from, last] ascending or [last, to) descending, else nothing.
     */
    private NavigableMap<String, List<Version>> covered(Scan s) {
        if (s.done) {
            return range(history, s.from, s.to);
        }
        if (s.last == null) {
            return Collections.emptyNavigableMap();
        }
        NavigableMap<String, List<Version>> r = range(history, s.from, s.to);
        return s.reverse ? r.tailMap(s.last, true) : r.headMap(s.last, true);
    }
}
