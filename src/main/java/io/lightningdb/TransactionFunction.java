package io.lightningdb;

/**
 * The work of one transaction returning a result, for {@link Database#callInTransaction}: may run
 * more than once (after a conflict).
 *
 * <pre>{@code
 * long balance = db.callInTransaction(tx -> decode(tx.get(account)));
 * }</pre>
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface TransactionFunction<R> {
    R apply(Transaction tx);
}
