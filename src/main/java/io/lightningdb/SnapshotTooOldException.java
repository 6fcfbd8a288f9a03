package io.lightningdb;

/**
 * A transaction's snapshot was given up because the old versions kept for it outgrew
 * {@code maxVersionMemory} (a transaction left open too long while others write). The transaction
 * can do nothing more; roll it back and start again. The message says how old the snapshot was
 * and how much it held.
 *
 * {@snippet class=io.lightningdb.examples.TransactionExamples region="tooOld"}
 */
public final class SnapshotTooOldException extends LightningDbException {
    private static final long serialVersionUID = 1L;

    SnapshotTooOldException(String message) {
        super(message, null);
    }
}
