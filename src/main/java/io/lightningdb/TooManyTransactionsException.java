package io.lightningdb;

/**
 * {@code begin} waited {@code transactionWaitTimeout} and {@code maxActiveTransactions}
 * transactions were still open. Often a sign of transactions not closed: use try-with-resources.
 *
 * <pre>{@code
 * try (Transaction tx = db.begin()) { ... }   // always closed, so never leaks a slot
 * }</pre>
 */
public final class TooManyTransactionsException extends LightningDbException {
    private static final long serialVersionUID = 1L;

    TooManyTransactionsException(String message) {
        super(message, null);
    }
}
