package io.lightningdb;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The anomalies each isolation level must prevent (and the one SNAPSHOT allows), one scenario each. */
class TransactionAnomalyTest {
    private Database db;

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, UTF_8);
    }

    @BeforeEach
    void open() {
        db = Database.open(TestDirs.fresh("txn-anomaly"),
                LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).build());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void snapshotIsStableAndNeverSeesLaterCommits() {
        db.put(b("a"), b("1"));
        db.put(b("c"), b("3"));
        try (Transaction tx = db.beginReadOnly()) {
            db.put(b("a"), b("changed"));
            db.delete(b("c"));
            db.put(b("b"), b("inserted"));
            try (Transaction other = db.begin()) {
                other.put(b("d"), b("4"));
                other.commit();
            }
            assertEquals("1", s(tx.get(b("a"))), "an update after the snapshot is not seen");
            assertEquals("3", s(tx.get(b("c"))), "a delete after the snapshot is not seen");
            assertNull(tx.get(b("b")), "an insert after the snapshot is not seen");
            assertNull(tx.get(b("d")), "a transaction committed after the snapshot is not seen");
            assertEquals(List.of("a=1", "c=3"), entries(tx.scan(null, null)));
            assertEquals(List.of("c=3", "a=1"), entries(tx.scanReverse(null, null)));
            tx.commit();
        }
        try (Transaction tx = db.beginReadOnly()) {
            assertEquals(List.of("a=changed", "b=inserted", "d=4"), entries(tx.scan(null, null)));
        }
        assertEquals(0, db.stats().transactions().versionCount(), "versions dropped once no snapshot needs them");
    }

    @Test
    void ownWritesAreSeenAndMergedInScans() {
        db.put(b("k1"), b("old1"));
        db.put(b("k3"), b("old3"));
        db.put(b("k5"), b("old5"));
        try (Transaction tx = db.begin()) {
            tx.put(b("k2"), b("new2"));
            tx.put(b("k3"), b("new3"));
            tx.delete(b("k5"));
            tx.put(b("k6"), b("new6"));
            assertEquals("new3", s(tx.get(b("k3"))));
            assertNull(tx.get(b("k5")));
            assertEquals(List.of("k1=old1", "k2=new2", "k3=new3", "k6=new6"), entries(tx.scan(null, null)));
            assertEquals(List.of("k6=new6", "k3=new3", "k2=new2", "k1=old1"), entries(tx.scanReverse(null, null)));
            assertEquals(List.of("k2=new2", "k3=new3"), entries(tx.scan(b("k2"), b("k5"))));
            assertEquals(List.of("k6=new6"), entries(tx.scanPrefix(b("k6"))));
            assertNull(db.get(b("k2")), "nothing is applied before commit");
            tx.commit();
        }
        assertEquals("new2", s(db.get(b("k2"))));
        assertNull(db.get(b("k5")));
        assertEquals("new6", s(db.get(b("k6"))));
    }

    @ParameterizedTest
    @EnumSource(IsolationLevel.class)
    void lostUpdateIsImpossible(IsolationLevel level) {
        db.put(b("counter"), b("10"));
        Transaction t1 = db.begin(level);
        Transaction t2 = db.begin(level);
        int v1 = Integer.parseInt(s(t1.get(b("counter"))));
        int v2 = Integer.parseInt(s(t2.get(b("counter"))));
        t1.put(b("counter"), b(Integer.toString(v1 + 1)));
        t2.put(b("counter"), b(Integer.toString(v2 + 1)));
        t1.commit();
        TransactionConflictException e = assertThrows(TransactionConflictException.class, t2::commit);
        assertArrayEquals(b("counter"), e.key());
        assertTrue(e.getMessage().contains("\"counter\""), e.getMessage());
        assertFalse(t2.isActive(), "a refused commit ends the transaction");
        assertEquals("11", s(db.get(b("counter"))), "the second increment was refused, not lost");
        // A plain put after the snapshot is a committed write too.
        try (Transaction t3 = db.begin(level)) {
            t3.get(b("counter"));
            db.put(b("counter"), b("100"));
            t3.put(b("counter"), b("12"));
            assertThrows(TransactionConflictException.class, t3::commit);
        }
        assertEquals("100", s(db.get(b("counter"))));
        assertEquals(2, db.stats().transactions().conflicts());
    }

    @Test
    void writeSkewIsAllowedUnderSnapshotAndRefusedUnderSerializable() {
        assertEquals(List.of("0", "0"), doctorsGoOffCall(IsolationLevel.SNAPSHOT, true),
                "SNAPSHOT: both commit, breaking the invariant that one doctor stays on call");
        assertEquals(List.of("0", "1"), doctorsGoOffCall(IsolationLevel.SERIALIZABLE, false),
                "SERIALIZABLE: the second commit is refused");
    }

    /** Both doctors are on call; each transaction goes off call if the other still is. */
    private List<String> doctorsGoOffCall(IsolationLevel level, boolean secondCommits) {
        db.put(b("alice"), b("1"));
        db.put(b("bob"), b("1"));
        Transaction t1 = db.begin(level);
        Transaction t2 = db.begin(level);
        if (s(t1.get(b("bob"))).equals("1")) {
            t1.put(b("alice"), b("0"));
        }
        if (s(t2.get(b("alice"))).equals("1")) {
            t2.put(b("bob"), b("0"));
        }
        t1.commit();
        if (secondCommits) {
            t2.commit();
        } else {
            TransactionConflictException e = assertThrows(TransactionConflictException.class, t2::commit);
            assertArrayEquals(b("alice"), e.key(), "the read that became untrue");
        }
        return List.of(s(db.get(b("alice"))), s(db.get(b("bob"))));
    }

    @Test
    void phantomInAScannedRangeIsRefusedUnderSerializable() {
        db.put(b("order/1"), b("5"));
        db.put(b("order/2"), b("7"));
        for (IsolationLevel level : IsolationLevel.values()) {
            try (Transaction tx = db.begin(level)) {
                int total = 0;
                try (Cursor c = tx.scanPrefix(b("order/"))) {
                    while (c.next()) {
                        total += Integer.parseInt(s(c.value()));
                    }
                }
                db.put(b("order/3" + level), b("1")); // a phantom appears in the scanned range
                tx.put(b("total/" + level), b(Integer.toString(total)));
                if (level == IsolationLevel.SERIALIZABLE) {
                    TransactionConflictException e = assertThrows(TransactionConflictException.class, tx::commit);
                    assertArrayEquals(b("order/3" + level), e.key());
                } else {
                    tx.commit();
                }
            }
        }
        assertEquals("12", s(db.get(b("total/SNAPSHOT"))));
        assertNull(db.get(b("total/SERIALIZABLE")));
    }

    @Test
    void serializableChecksOnlyThePartOfARangeTheScanCovered() {
        db.put(b("r1"), b("x"));
        db.put(b("r3"), b("x"));
        db.put(b("r5"), b("x"));
        try (Transaction tx = db.begin(IsolationLevel.SERIALIZABLE)) {
            try (Cursor c = tx.scan(b("r0"), b("r9"))) {
                assertTrue(c.next()); // stops after r1: r2..r9 were never looked at
                assertArrayEquals(b("r1"), c.key());
            }
            db.put(b("r4"), b("late")); // beyond what the scan covered
            tx.put(b("out"), b("1"));
            tx.commit();
        }
        try (Transaction tx = db.begin(IsolationLevel.SERIALIZABLE)) {
            try (Cursor c = tx.scan(b("r0"), b("r9"))) {
                assertTrue(c.next());
            }
            db.put(b("r0a"), b("early")); // inside the covered part [r0, r1]
            tx.put(b("out"), b("2"));
            assertThrows(TransactionConflictException.class, tx::commit);
        }
        try (Transaction tx = db.begin(IsolationLevel.SERIALIZABLE)) {
            assertNull(tx.get(b("absent")));
            db.put(b("absent"), b("now present"));
            tx.put(b("out"), b("3"));
            assertThrows(TransactionConflictException.class, tx::commit, "a read of an absent key is checked too");
        }
        assertEquals("1", s(db.get(b("out"))));
    }

    @Test
    void rollbackAndCloseLeaveNoTrace() {
        db.put(b("keep"), b("v"));
        try (Transaction tx = db.begin()) {
            tx.put(b("ghost"), b("1"));
            tx.delete(b("keep"));
            tx.rollback();
            assertThrows(IllegalStateException.class, () -> tx.get(b("keep")), "a rolled back transaction is over");
        }
        try (Transaction tx = db.begin()) {
            tx.put(b("ghost"), b("2"));
        } // closed without commit
        assertNull(db.get(b("ghost")));
        assertEquals("v", s(db.get(b("keep"))));
        TransactionStats t = db.stats().transactions();
        assertEquals(2, t.rollbacks());
        assertEquals(0, t.commits());
        assertEquals(0, t.active());
    }

    @Test
    void readOnlyTransactionsRefuseWrites() {
        try (Transaction tx = db.beginReadOnly()) {
            assertTrue(tx.isReadOnly());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tx.put(b("k"), b("v")));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> tx.delete(b("k")));
            tx.commit();
            assertThrows(IllegalStateException.class, tx::commit, "committed twice");
        }
    }

    @Test
    void badKeysAndValuesAreRefusedWithTheLimit() {
        try (Transaction tx = db.begin()) {
            assertThrows(NullPointerException.class, () -> tx.put(null, b("v")));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tx.put(new byte[2000], b("v")));
            assertTrue(e.getMessage().contains("maxKeySize"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> tx.get(new byte[0]));
            assertEquals(0, tx.pendingWrites(), "a refused put buffers nothing");
        }
    }

    static List<String> entries(Cursor c) {
        List<String> out = new ArrayList<>();
        try (c) {
            while (c.next()) {
                out.add(s(c.key()) + "=" + s(c.value()));
            }
        }
        return out;
    }
}
