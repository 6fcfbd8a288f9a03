package io.lightningdb;

/**
 * The work of one transaction returning a result, for {@link Database#callInTransaction}: may run
 * more than once (after a conflict).
 *
 * {@snippet class=io.lightningdb.examples.TransactionExamples region="function"}
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface TransactionFunction<R> {
    R apply(Transaction tx);
}
