package io.lightningdb;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lightningdb.TransactionModel.Scan;
import io.lightningdb.TransactionModel.Txn;
import io.lightningdb.TransactionModel.Write;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random interleavings of up to four open transactions (SNAPSHOT, SERIALIZABLE, read-only) with
 * plain puts, deletes, batches and retried transactions between their steps, all from one thread
 * so every outcome is determined, checked against {@link TransactionModel}: every get, every cursor
 * step and every commit outcome (and the key a refusal names) must be exactly the model's. Sixteen
 * keys make conflicts frequent; values up to 2.4 KB spread them over several leaves, so cursors
 * cross leaves while other writes land. After every step the old versions kept must be exactly
 * those stamped after the oldest open snapshot; after every round (all transactions ended) the
 * database must be the model's latest state, with no version kept and the stats' counts right.
 */
class TransactionModelTest {
    private static final int ROUNDS = 800;
    private static final int STEPS = 80;
    private static final int MAX_OPEN = 4;
    private static final int REOPEN_EVERY = 100;
    /** Keys whose order mixes lengths: a < a1 < a12 < a2 < b ... */
    private static final List<String> KEYS = List.of("a", "a1", "a12", "a2", "b", "b1", "b12", "b2", "c", "c1", "c12",
            "c2", "d", "d1", "d12", "d2");
    /** Scan bounds: the keys and points between and around them. */
    private static final List<String> BOUNDS = List.of("a", "a1", "a12", "a2", "b", "b12", "c1", "c2", "d", "d12",
            "0", "a0", "a11", "a3", "b13", "c", "c120", "d1", "e");
    private static final List<String> PREFIXES = List.of("", "a", "b1", "c12", "d2", "e");

    private SplittableRandom rnd;
    private final TransactionModel model = new TransactionModel();
    private Database db;
    private final List<Txn> open = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private long valueIds;
    private long txnIds;
    /** What db.stats().transactions() must count since the database was opened. */
    private long commits;
    private long conflicts;
    private long rollbacks;
    private long readOnlyEnded;
    /** Over the whole run: refusals, and those due to reads only or to scanned ranges only (SERIALIZABLE). */
    private long refusals;
    private long readRefusals;
    private long scanRefusals;

    @Test
    void randomInterleavingsMatchTheModel() throws Exception {
        long seed = Seeds.seed("TransactionModelTest");
        rnd = new SplittableRandom(seed);
        Path dir = TestDirs.fresh("txn-model");
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).pageSize(4096)
                .cacheSize(4L << 20).build();
        db = Database.open(dir, cfg);
        long started = System.nanoTime();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                trace.clear();
                try {
                    for (int i = 0; i < STEPS; i++) {
                        step();
                        checkVersions();
                    }
                    endRound();
                    if ((round + 1) % REOPEN_EVERY == 0) {
                        reopen(dir, cfg);
                    }
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("seed=" + seed + " round " + round + " (replay with -Dlightning.seed="
                            + seed + "): " + e + "\nthis round's steps:\n  " + String.join("\n  ", trace), e);
                }
            }
        } finally {
            for (Txn t : open) {
                t.tx.close();
            }
            db.close();
        }
        TestDirs.deleteTree(dir);
        System.out.printf("TransactionModelTest: %d rounds of %d steps in %.1f s, %d transactions, %d refused (%d by"
                + " reads only, %d by scanned ranges only)%n", ROUNDS, STEPS, (System.nanoTime() - started) / 1e9,
                txnIds, refusals, readRefusals, scanRefusals);
        // Proof the interleavings reach what the model is for, not just uncontended commits.
        assertTrue(refusals > txnIds / 40, "refused commits " + refusals + " of " + txnIds + " transactions");
        assertTrue(readRefusals > ROUNDS / 40, "SERIALIZABLE commits refused for a changed read only: " + readRefusals);
        assertTrue(scanRefusals > ROUNDS / 40, "SERIALIZABLE commits refused for a change in a scanned range only: "
                + scanRefusals);
    }

    private void step() {
        int r = rnd.nextInt(100);
        if (r < 14) {
            plainWrite();
        } else if (r < 17) {
            plainRead();
        } else if (open.isEmpty() || (open.size() < MAX_OPEN && r < 27)) {
            begin();
        } else {
            txnStep(open.get(rnd.nextInt(open.size())));
        }
    }

    private void begin() {
        int kind = rnd.nextInt(3);
        boolean readOnly = kind == 2;
        IsolationLevel level = kind == 1 ? IsolationLevel.SERIALIZABLE : IsolationLevel.SNAPSHOT;
        Transaction tx = readOnly ? db.beginReadOnly() : kind == 1 ? db.begin(level) : db.begin();
        Txn t = new Txn(tx, "t" + ++txnIds, level, readOnly, model.stamp());
        open.add(t);
        log(t.name + " = begin " + (readOnly ? "read-only" : level) + " at stamp " + t.snapshot);
        assertEquals(level, tx.isolation());
        assertEquals(readOnly, tx.isReadOnly());
        assertTrue(tx.isActive());
    }

    private void txnStep(Txn t) {
        int r = rnd.nextInt(100);
        if (t.readOnly && r >= 20 && r < 48) {
            r = rnd.nextInt(20); // a read instead of a write
        }
        if (r < 20) {
            get(t);
        } else if (r < 48) {
            String k = key();
            String v = r < 40 ? newValue() : null;
            log(t.name + (v == null ? ".delete " + k : ".put " + k + "=" + brief(v)));
            t.own.put(k, v);
            if (v == null) {
                t.tx.delete(bytes(k));
            } else {
                t.tx.put(bytes(k), bytes(v));
            }
            assertEquals(t.own.size(), t.tx.pendingWrites(), t.name + ".pendingWrites");
        } else if (r < 62) {
            newScan(t);
        } else if (r < 74) {
            Scan s = openScan(t);
            if (s == null) {
                newScan(t);
            } else {
                advance(t, s, 1 + rnd.nextInt(3));
            }
        } else if (r < 77) {
            Scan s = openScan(t);
            if (s != null) {
                log(t.name + " closes its " + s);
                close(s);
            }
        } else if (r < 90) {
            commit(t);
        } else {
            rollback(t, r < 95);
        }
    }

    private void get(Txn t) {
        String k = key();
        boolean own = t.own.containsKey(k);
        String want = own ? t.own.get(k) : model.valueAt(k, t.snapshot);
        if (!own) {
            t.reads.add(k);
        }
        log(t.name + ".get " + k + " -> " + brief(want));
        assertEquals(want, string(t.tx.get(bytes(k))), t.name + ".get(" + k + ")");
    }

    private void newScan(Txn t) {
        int kind = rnd.nextInt(3);
        Scan s;
        if (kind == 2) {
            String p = PREFIXES.get(rnd.nextInt(PREFIXES.size()));
            String to = p.isEmpty() ? null : p.substring(0, p.length() - 1) + (char) (p.charAt(p.length() - 1) + 1);
            s = new Scan(t.tx.scanPrefix(bytes(p)), p.isEmpty() ? null : p, to, false);
        } else {
            String from = bound();
            String to = bound();
            if (from != null && to != null && from.compareTo(to) > 0 && rnd.nextInt(8) != 0) {
                String x = from;
                from = to;
                to = x;
            }
            boolean reverse = kind == 1;
            Cursor c = reverse ? t.tx.scanReverse(bytes(from), bytes(to)) : t.tx.scan(bytes(from), bytes(to));
            s = new Scan(c, from, to, reverse);
        }
        t.scans.add(s);
        log(t.name + " opens " + s);
        advance(t, s, rnd.nextInt(4) == 0 ? Integer.MAX_VALUE : rnd.nextInt(4));
        if (s.done || rnd.nextBoolean()) {
            close(s);
        }
    }

    /** Steps the cursor up to n times, each entry (and the end) exactly the model's. */
    private void advance(Txn t, Scan s, int n) {
        StringBuilder got = new StringBuilder();
        try {
            for (int i = 0; i < n && !s.done; i++) {
                Map.Entry<String, String> want = model.next(t, s);
                String what = t.name + "'s " + s + " after " + (s.last == null ? "the start" : s.last);
                boolean more = s.cursor.next();
                if (want == null) {
                    if (more) {
                        fail(what + ": expected the end, the cursor returned " + string(s.cursor.key()));
                    }
                    s.done = true;
                    got.append(" end");
                } else {
                    assertTrue(more, what + ": expected " + want.getKey() + ", the cursor ended");
                    assertEquals(want.getKey(), string(s.cursor.key()), what);
                    assertEquals(want.getValue(), string(s.cursor.value()), what + ": value of " + want.getKey());
                    s.last = want.getKey();
                    got.append(' ').append(s.last).append('=').append(brief(want.getValue()));
                }
            }
        } finally {
            log(t.name + "'s " + s + " next:" + got);
        }
    }

    private void commit(Txn t) {
        SortedSet<String> refusing = model.conflicts(t);
        log(t.name + ".commit of " + t.own.size() + " writes, " + (refusing.isEmpty() ? "commits" : "refused on "
                + refusing));
        if (refusing.isEmpty()) {
            try {
                t.tx.commit();
            } catch (TransactionConflictException e) {
                fail(t.name + ": the model commits, the engine refused: " + e.getMessage(), e);
            }
            if (!t.own.isEmpty()) {
                model.commit(TransactionModel.writes(t), true);
            }
            if (t.readOnly) {
                readOnlyEnded++;
            } else {
                commits++;
            }
        } else {
            TransactionConflictException e = assertThrows(TransactionConflictException.class, t.tx::commit,
                    t.name + ": the model refuses on " + refusing + ", the engine committed");
            String k = string(e.key());
            assertTrue(refusing.contains(k), t.name + ": refused naming " + k + ", not one of " + refusing);
            assertTrue(e.getMessage().contains("\"" + k + "\""), e.getMessage());
            conflicts++;
            rollbacks++;
            classify(t);
        }
        ended(t);
    }

    private void classify(Txn t) {
        refusals++;
        if (t.own.keySet().stream().anyMatch(k -> model.changedAfter(k, t.snapshot))) {
            return;
        }
        if (t.reads.stream().anyMatch(k -> model.changedAfter(k, t.snapshot))) {
            readRefusals++;
        } else {
            scanRefusals++;
        }
    }

    private void rollback(Txn t, boolean explicit) {
        log(t.name + (explicit ? ".rollback" : ".close"));
        if (explicit) {
            t.tx.rollback();
        } else {
            t.tx.close();
        }
        if (t.readOnly) {
            readOnlyEnded++;
        } else {
            rollbacks++;
        }
        ended(t);
    }

    /** An ended transaction refuses further use, its cursors included. */
    private void ended(Txn t) {
        assertFalse(t.tx.isActive(), t.name + " still active after it ended");
        open.remove(t);
        assertThrows(IllegalStateException.class, () -> t.tx.get(bytes("a")), "get on ended " + t.name);
        Scan s = openScan(t);
        if (s != null) {
            assertThrows(IllegalStateException.class, s.cursor::next, "next() on a cursor of ended " + t.name);
        }
        for (Scan x : t.scans) {
            close(x);
        }
        t.tx.close(); // a no-op now
    }

    private void plainWrite() {
        int r = rnd.nextInt(100);
        boolean snapshotOpen = !open.isEmpty();
        if (r < 65) {
            String k = key();
            String v = r < 45 ? newValue() : null;
            log(v == null ? "db.delete " + k : "db.put " + k + "=" + brief(v));
            if (v == null) {
                db.delete(bytes(k));
            } else {
                db.put(bytes(k), bytes(v));
            }
            model.commit(List.of(new Write(k, v)), snapshotOpen);
        } else if (r < 90) {
            WriteBatch b = db.newWriteBatch();
            List<Write> writes = new ArrayList<>();
            for (int n = rnd.nextInt(5); n > 0; n--) {
                String k = key();
                String v = rnd.nextInt(3) == 0 ? null : newValue();
                writes.add(new Write(k, v));
                if (v == null) {
                    b.delete(bytes(k));
                } else {
                    b.put(bytes(k), bytes(v));
                }
            }
            log("db.write batch " + writes.stream().map(w -> w.key() + "=" + brief(w.value())).toList());
            db.write(b);
            // A batch writes a key once, its last operation (one old version kept, not one per operation).
            java.util.Map<String, Write> last = new java.util.LinkedHashMap<>();
            for (Write w : writes) {
                last.put(w.key(), w);
            }
            if (!last.isEmpty()) {
                model.commit(new ArrayList<>(last.values()), snapshotOpen);
            }
        } else {
            // A retried transaction between the steps: alone on this thread, its first run commits.
            IsolationLevel level = rnd.nextBoolean() ? IsolationLevel.SNAPSHOT : IsolationLevel.SERIALIZABLE;
            String read = key();
            String k = key();
            String v = newValue();
            String want = model.valueAt(read, model.stamp());
            log("db.callInTransaction(" + level + ") get " + read + " -> " + brief(want) + ", put " + k + "="
                    + brief(v));
            String seen = db.callInTransaction(level, tx -> {
                String s = string(tx.get(bytes(read)));
                tx.put(bytes(k), bytes(v));
                return s;
            });
            assertEquals(want, seen, "callInTransaction get " + read);
            model.commit(List.of(new Write(k, v)), true);
            commits++;
        }
    }

    private void plainRead() {
        if (rnd.nextBoolean()) {
            String k = key();
            log("db.get " + k);
            assertEquals(model.valueAt(k, model.stamp()), string(db.get(bytes(k))), "db.get(" + k + ")");
        } else {
            String from = bound();
            String to = bound();
            log("db.scan [" + from + ", " + to + ")");
            NavigableMap<String, String> want = TransactionModel.range(model.latest(), from, to);
            assertEntries(want, db.scan(bytes(from), bytes(to)), "db.scan [" + from + ", " + to + ")");
        }
    }

    /** Old versions kept are exactly those stamped after the oldest open snapshot (none when none is open). */
    private void checkVersions() {
        TransactionStats s = db.stats().transactions();
        assertEquals(open.size(), s.active(), "open transactions");
        long horizon = open.stream().mapToLong(t -> t.snapshot).min().orElse(model.stamp());
        assertEquals(model.keptAfter(horizon), s.versionCount(), "old versions kept: those stamped after stamp "
                + horizon + " (the oldest open snapshot)");
        if (open.isEmpty()) {
            assertEquals(0, s.versionBytes(), "version bytes with no transaction open");
            assertEquals(Duration.ZERO, s.oldestSnapshotAge());
        }
    }

    private void endRound() {
        while (!open.isEmpty()) {
            Txn t = open.get(rnd.nextInt(open.size()));
            if (rnd.nextBoolean()) {
                commit(t);
            } else {
                rollback(t, true);
            }
            checkVersions();
        }
        log("end of round");
        NavigableMap<String, String> latest = model.latest();
        assertEntries(latest, db.scan(null, null), "db.scan of everything");
        assertEntries(latest.descendingMap(), db.scanReverse(null, null), "db.scanReverse of everything");
        for (String k : KEYS) {
            assertEquals(latest.get(k), string(db.get(bytes(k))), "db.get(" + k + ")");
        }
        try (Transaction ro = db.beginReadOnly()) {
            assertEntries(latest, ro.scan(null, null), "a new read-only transaction's scan");
        }
        readOnlyEnded++;
        DatabaseStats stats = db.stats();
        TransactionStats s = stats.transactions();
        assertEquals(latest.size(), stats.keys(), "keys");
        assertEquals(0, s.active(), "active");
        assertEquals(0, s.versionCount(), "versions kept with no transaction open");
        assertEquals(List.of(commits, conflicts, rollbacks, readOnlyEnded),
                List.of(s.commits(), s.conflicts(), s.rollbacks(), s.readOnly()),
                "commits, conflicts, rollbacks, readOnly");
        model.compact();
    }

    private void reopen(Path dir, LightningDbConfig cfg) {
        log("reopen");
        db.close();
        db = Database.open(dir, cfg);
        commits = 0;
        conflicts = 0;
        rollbacks = 0;
        readOnlyEnded = 0;
        assertEquals(List.of(), db.verify());
        assertEntries(model.latest(), db.scan(null, null), "db.scan of everything after reopening");
    }

    private static void assertEntries(NavigableMap<String, String> want, Cursor c, String what) {
        List<String> expected = new ArrayList<>();
        want.forEach((k, v) -> expected.add(k + "=" + v));
        List<String> got = new ArrayList<>();
        try (c) {
            while (c.next()) {
                got.add(string(c.key()) + "=" + string(c.value()));
            }
        }
        assertEquals(expected, got, what);
    }

    private void close(Scan s) {
        if (!s.closed) {
            s.cursor.close();
            s.closed = true;
        }
    }

    private Scan openScan(Txn t) {
        List<Scan> live = t.scans.stream().filter(s -> !s.closed).toList();
        return live.isEmpty() ? null : live.get(rnd.nextInt(live.size()));
    }

    private String key() {
        return KEYS.get(rnd.nextInt(KEYS.size()));
    }

    private String bound() {
        return rnd.nextInt(5) == 0 ? null : BOUNDS.get(rnd.nextInt(BOUNDS.size()));
    }

    /** A value never written before: "v<id>." and a filler, two in five 600 B to 2.4 KB. */
    private String newValue() {
        int fill = rnd.nextInt(5) < 2 ? rnd.nextInt(600, 2400) : rnd.nextInt(20);
        return "v" + ++valueIds + "." + "x".repeat(fill);
    }

    private void log(String step) {
        trace.add(step);
    }

    private static String brief(String v) {
        return v == null ? "absent" : v.substring(0, v.indexOf('.'));
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(US_ASCII);
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, US_ASCII);
    }
}
