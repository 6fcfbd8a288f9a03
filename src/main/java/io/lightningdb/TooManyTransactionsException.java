package io.lightningdb;

/**
 * {@code begin} waited {@code transactionWaitTimeout} and {@code maxActiveTransactions}
 * transactions were still open. Often a sign of transactions not closed: use try-with-resources.
 *
 * {@snippet class=io.lightningdb.examples.TransactionExamples region="transfer"}
 */
public final class TooManyTransactionsException extends LightningDbException {
    private static final long serialVersionUID = 1L;

    TooManyTransactionsException(String message) {
        super(message, null);
    }
}
