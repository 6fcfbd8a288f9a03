package io.lightningdb;

/**
 * The work of one transaction for {@link Database#inTransaction}: may run more than once (after a
 * conflict), so it should only read and write through {@code tx}.
 *
 * <pre>{@code
 * db.inTransaction(tx -> tx.put(key, value));
 * }</pre>
 */
@FunctionalInterface
public interface TransactionBody {
    void run(Transaction tx);
}
