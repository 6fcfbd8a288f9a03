package io.lightningdb.engine;

/**
 * A transaction's step the engine refused; the API turns each {@link Reason} into its public
 * exception with this message. Unchecked, unlike the engine's other failures: a commit's validation
 * throws it from inside the write path, where it runs as a plain {@link Runnable}.
 */
public final class TransactionRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the step was refused. */
    public enum Reason {
        /** Another commit changed {@link #key()}, or its lock could not be had; the message says which. */
        CONFLICT,
        /** {@code maxActiveTransactions} stayed open through {@code transactionWaitTimeout}. */
        TOO_MANY_TRANSACTIONS,
        /** The snapshot was aborted: old versions kept for it outgrew {@code maxVersionMemory}. */
        SNAPSHOT_TOO_OLD,
        /** The thread was interrupted while it waited; the cause is the {@link InterruptedException}. */
        INTERRUPTED
    }

    private final Reason reason;
    private final byte[] key;

    private TransactionRefusedException(Reason reason, String message, byte[] key, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.key = key;
    }

    /** A conflict on {@code key}; the message is why, without the key (the API names it its own way). */
    static TransactionRefusedException conflict(byte[] key, String why) {
        return new TransactionRefusedException(Reason.CONFLICT, why, key, null);
    }

    static TransactionRefusedException tooManyTransactions(String message) {
        return new TransactionRefusedException(Reason.TOO_MANY_TRANSACTIONS, message, null, null);
    }

    static TransactionRefusedException snapshotTooOld(String message) {
        return new TransactionRefusedException(Reason.SNAPSHOT_TOO_OLD, message, null, null);
    }

    static TransactionRefusedException interrupted(String message, InterruptedException cause) {
        return new TransactionRefusedException(Reason.INTERRUPTED, message, null, cause);
    }

    public Reason reason() {
        return reason;
    }

    /** The conflicting key (the engine's array: copy it to keep it), or null for other reasons. */
    public byte[] key() {
        return key;
    }
}
