package io.lightningdb.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The crash checker on synthetic recovered states: it must find true prefixes and refuse everything else. */
class PrefixModelTest {
    private History history;

    @BeforeEach
    void seed() {
        history = new History(Seeds.seed("PrefixModelTest"));
    }

    @Test
    void findsThePrefixAtTheAckPointAndWithTheInFlightOp() {
        long a = firstFrom(100, this::isPut) - 1;
        PrefixModel atAck = model(a - 40);
        PrefixModel.Match m = atAck.match(stateAfter(a + 1), a + 1, a + 2);
        assertTrue(m.matched(), m.describe());
        assertEquals(a + 1, m.k());
        assertEquals(a + 1, atAck.applied(), "the model stays at the prefix found, where the next writer continues");

        long b = firstFrom(100, this::isPut);
        PrefixModel inFlight = model(b - 40);
        PrefixModel.Match withOp = inFlight.match(stateAfter(b + 1), b, b + 1);
        assertTrue(withOp.matched(), withOp.describe());
        assertEquals(b + 1, withOp.k(), "op " + b + " (the in-flight one) is present");
    }

    /** A batch or transaction with only its first write applied matches no prefix. */
    @ParameterizedTest
    @EnumSource(value = History.Kind.class, names = {"BATCH", "SNAPSHOT_TXN", "SERIALIZABLE_TXN"})
    void refusesAHalfAppliedGroup(History.Kind kind) {
        long b = firstFrom(50, i -> {
            History.Op op = history.op(i);
            if (op.kind() != kind || op.writes().getFirst().isDelete()) {
                return false;
            }
            int first = op.writes().getFirst().keyId();
            boolean laterPut = false;
            for (History.Write w : op.writes().subList(1, op.writes().size())) {
                if (w.keyId() == first) {
                    return false;
                }
                laterPut |= !w.isDelete() && lastWriteTo(op, w.keyId()) == w;
            }
            return laterPut;
        });
        History.Write first = history.op(b).writes().getFirst();
        TreeMap<String, Long> half = stateAfter(b);
        half.put(History.keyName(first.keyId()), History.ref(b, 0));
        PrefixModel.Match m = model(b - 10).match(half, b, b + 1);
        assertFalse(m.matched(), "a " + kind + " op with only its first write applied passed as " + m.describe());
        assertTrue(m.closestDiffs() > 0);
    }

    @Test
    void refusesALostAcknowledgedOpAndNamesIt() {
        long p = firstFrom(100, this::isPut);
        TreeMap<String, Long> lost = stateAfter(p);
        PrefixModel.Match m = model(p - 30).match(lost, p + 1, p + 2);
        assertFalse(m.matched(), "op " + p + " was acknowledged but missing, and passed as " + m.describe());
        String key = History.keyName(history.op(p).writes().getFirst().keyId());
        assertEquals(key, m.firstDiffKey());
        assertEquals(History.ref(p, 0), m.expectedRef());
        assertEquals(p, m.closestK(), "the content is exactly the state before op " + p);
        assertTrue(m.describe().contains("'" + key + "': expected op " + p + ", found "), m.describe());
    }

    @Test
    void refusesAnUnacknowledgedOpBeyondTheInFlightOne() {
        long a = firstFrom(100, i -> isPut(i + 1) && isPut(i + 2));
        PrefixModel.Match m = model(a - 30).match(stateAfter(a + 3), a + 1, a + 2);
        assertFalse(m.matched(), "ops " + (a + 1) + " and " + (a + 2) + " were never acknowledged, yet passed as "
                + m.describe());
    }

    @Test
    void acceptsAnOlderPrefixAboveTheBoundAndRefusesOneBelowIt() {
        long k = firstFrom(300, this::isPut) + 1;
        PrefixModel.Match ok = model(0).match(stateAfter(k), 100, k + 500);
        assertTrue(ok.matched(), ok.describe());
        assertEquals(k, ok.k());

        // Ops below and below + 1 are puts: the state after [0, below + 1) differs from every later one.
        long below = firstFrom(50, i -> isPut(i) && isPut(i + 1)) + 1;
        PrefixModel.Match lost = model(0).match(stateAfter(below), below + 1, below + 500);
        assertFalse(lost.matched(), "ASYNC: a prefix losing ops acknowledged long before the kill passed as "
                + lost.describe());
    }

    @Test
    void theModelOnlyMovesForward() {
        PrefixModel m = model(100);
        assertThrows(IllegalArgumentException.class, () -> m.match(stateAfter(100), 99, 120));
        assertThrows(IllegalArgumentException.class, () -> m.advanceTo(50));
    }

    @Test
    void decodeRefusesTornMisplacedAndShortValues() {
        long p = firstFrom(0, i -> isPut(i) && history.op(i).writes().getFirst().valueLength() > 16);
        History.Write w = history.op(p).writes().getFirst();
        String key = History.keyName(w.keyId());
        byte[] v = history.value(p, w);
        assertEquals(History.ref(p, 0), history.decode(key, v));

        byte[] torn = v.clone();
        torn[torn.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> history.decode(key, torn));
        String other = History.keyName((w.keyId() + 1) % History.KEY_SPACE);
        assertThrows(IllegalStateException.class, () -> history.decode(other, v));
        byte[] cut = java.util.Arrays.copyOf(v, v.length - 1);
        assertThrows(IllegalStateException.class, () -> history.decode(key, cut));
        assertThrows(IllegalStateException.class, () -> history.decode(key, new byte[3]));
    }

    /** The read path against the real engine, no crash: a closed database is exactly its prefix. */
    @Test
    void aCleanlyClosedDatabaseIsExactlyItsPrefix() throws Exception {
        Path dir = TestDirs.fresh("crash-model");
        long n = 600;
        try (Database db = Database.open(dir, CrashConfig.config(CrashConfig.SYNC, CrashConfig.ASYNC_FLUSH_INTERVAL))) {
            for (long i = 0; i < n; i++) {
                history.apply(db, history.op(i));
            }
        }
        try (Database db = Database.open(dir, CrashConfig.config(CrashConfig.SYNC, CrashConfig.ASYNC_FLUSH_INTERVAL))) {
            assertEquals(java.util.List.of(), db.verify());
            TreeMap<String, Long> content = CrashTest.read(db, history);
            PrefixModel.Match m = new PrefixModel(history).match(content, n, n + 1);
            assertTrue(m.matched(), m.describe());
            assertEquals(n, m.k());
            String some = content.firstKey();
            db.delete(some.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            PrefixModel.Match after = new PrefixModel(history).match(CrashTest.read(db, history), n, n + 1);
            assertFalse(after.matched(), "a key deleted outside the history passed as " + after.describe());
            assertEquals(some, after.firstDiffKey());
        } finally {
            TestDirs.deleteTree(dir);
        }
    }

    private boolean isPut(long i) {
        History.Op op = history.op(i);
        return op.single() && !op.writes().getFirst().isDelete();
    }

    private static History.Write lastWriteTo(History.Op op, int keyId) {
        History.Write last = null;
        for (History.Write w : op.writes()) {
            if (w.keyId() == keyId) {
                last = w;
            }
        }
        return last;
    }

    private long firstFrom(long from, LongPredicate p) {
        for (long i = from; i < from + 10_000; i++) {
            if (p.test(i)) {
                return i;
            }
        }
        throw new AssertionError("no op from " + from + " fits; the history's mix of ops changed");
    }

    private PrefixModel model(long at) {
        PrefixModel m = new PrefixModel(history);
        m.advanceTo(at);
        return m;
    }

    private TreeMap<String, Long> stateAfter(long k) {
        return new TreeMap<>(model(k).state());
    }

    @Test
    void historyIsAPureFunctionWithTheAdvertisedMix() {
        History again = new History(history.seed());
        int deletes = 0;
        int batches = 0;
        int snapshotTxns = 0;
        int serializableTxns = 0;
        int large = 0;
        Set<Integer> keys = new HashSet<>();
        for (long i = 0; i < 4_000; i++) {
            History.Op op = history.op(i);
            assertEquals(op, again.op(i));
            deletes += op.single() && op.writes().getFirst().isDelete() ? 1 : 0;
            batches += op.kind() == History.Kind.BATCH ? 1 : 0;
            snapshotTxns += op.kind() == History.Kind.SNAPSHOT_TXN ? 1 : 0;
            serializableTxns += op.kind() == History.Kind.SERIALIZABLE_TXN ? 1 : 0;
            assertEquals(op.single(), op.writes().size() == 1 && !op.kind().transaction(), "op " + i + ": " + op);
            for (History.Write w : op.writes()) {
                keys.add(w.keyId());
                large += w.valueLength() >= 20 << 10 ? 1 : 0;
            }
        }
        assertTrue(deletes > 400 && deletes < 800, "deletes " + deletes);
        assertTrue(batches > 400 && batches < 800, "batches " + batches);
        assertTrue(snapshotTxns > 120 && snapshotTxns < 360, "SNAPSHOT transactions " + snapshotTxns);
        assertTrue(serializableTxns > 120 && serializableTxns < 360, "SERIALIZABLE transactions " + serializableTxns);
        assertTrue(large > 40, "values of 20 KiB+ " + large);
        assertTrue(keys.size() > 1_500 && keys.size() <= History.KEY_SPACE, "keys " + keys.size());
    }
}
