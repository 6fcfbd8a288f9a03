package io.lightningdb.examples;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.IsolationLevel;
import io.lightningdb.SnapshotTooOldException;
import io.lightningdb.Transaction;
import io.lightningdb.TransactionConflictException;
import java.nio.ByteBuffer;

/** Examples of transactions (see the package). */
final class TransactionExamples {
    private TransactionExamples() {}

    static byte[] encode(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    static long decode(byte[] v) {
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    static void transfer(Database db, byte[] alice, byte[] bob) {
        // @start region="transfer"
        try (Transaction tx = db.begin()) {
            long from = decode(tx.get(alice));
            long to = decode(tx.get(bob));
            tx.put(alice, encode(from - 10));
            tx.put(bob, encode(to + 10));
            tx.commit();   // TransactionConflictException if a later commit changed alice or bob
        }                  // closing without commit rolls back
        // @end
    }

    static void increment(Database db, byte[] counter) {
        // @start region="increment"
        db.inTransaction(tx -> {
            long n = decode(tx.get(counter));
            tx.put(counter, encode(n + 1));
        });                // run again after a conflict, up to conflictRetryLimit times
        // @end
    }

    static void incrementForUpdate(Database db, byte[] counter) {
        // @start region="forUpdate"
        db.inTransaction(tx -> tx.put(counter, encode(decode(tx.getForUpdate(counter)) + 1)));
        // @end
    }

    static void body(Database db, byte[] key, byte[] value) {
        // @start region="body"
        db.inTransaction(tx -> tx.put(key, value));
        // @end
    }

    static long function(Database db, byte[] account) {
        // @start region="function"
        long balance = db.callInTransaction(tx -> decode(tx.get(account)));
        // @end
        return balance;
    }

    static long readOnly(Database db, byte[] accountPrefix) {
        // @start region="readOnly"
        long total = 0;
        try (Transaction tx = db.beginReadOnly();
             Cursor c = tx.scanPrefix(accountPrefix)) {
            while (c.next()) {
                total += decode(c.value());                        // one snapshot: a consistent sum
            }
        }
        // @end
        return total;
    }

    static void serializable(Database db, byte[] onCall1, byte[] onCall2, byte[] me) {
        // @start region="serializable"
        try (Transaction tx = db.begin(IsolationLevel.SERIALIZABLE)) {
            if (tx.get(onCall1) == null && tx.get(onCall2) == null) {
                tx.put(onCall1, me);
            }
            tx.commit();   // TransactionConflictException if another commit made a read untrue
        }
        // @end
    }

    static void conflict(Database db, byte[] key, byte[] value) {
        // @start region="conflict"
        try (Transaction tx = db.begin()) {
            tx.put(key, value);
            tx.commit();
        } catch (TransactionConflictException e) {
            System.err.println("conflict on " + e.keyText() + ": " + e.getMessage());
        }
        // @end
    }

    static void tooOld(Database db, byte[] prefix) {
        // @start region="tooOld"
        try (Transaction tx = db.beginReadOnly();
             Cursor c = tx.scanPrefix(prefix)) {
            while (c.next()) {
                decode(c.value());                                 // a long report over many keys
            }
        } catch (SnapshotTooOldException e) {
            // Writers moved on past maxVersionMemory: raise it, or read in shorter transactions.
            System.err.println(e.getMessage());
        }
        // @end
    }
}
