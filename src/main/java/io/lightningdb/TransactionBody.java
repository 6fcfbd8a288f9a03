package io.lightningdb;

/**
 * The work of one transaction for {@link Database#inTransaction}: may run more than once (after a
 * conflict), so it should only read and write through {@code tx}.
 *
 * {@snippet class=io.lightningdb.examples.TransactionExamples region="body"}
 */
@FunctionalInterface
public interface TransactionBody {
    void run(Transaction tx);
}
