package io.lightningdb;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * A commit was refused because a commit made after the transaction's snapshot changed a key the
 * transaction wrote (or, under {@link IsolationLevel#SERIALIZABLE}, read or scanned). Nothing of
 * the transaction was applied; run it again (as {@link Database#inTransaction} does).
 *
 * {@snippet class=io.lightningdb.examples.TransactionExamples region="conflict"}
 */
public class TransactionConflictException extends LightningDbException {
    private static final long serialVersionUID = 1L;
    private final byte[] key;
    private final int attempts;

    TransactionConflictException(String message, byte[] key, int attempts, Throwable cause) {
        super(message, cause);
        this.key = key.clone();
        this.attempts = attempts;
    }

    static TransactionConflictException on(byte[] key, String why) {
        return new TransactionConflictException("transaction conflict on key " + describe(key) + ": " + why, key, 1, null);
    }

    /** The conflicting key (a copy). */
    public byte[] key() {
        return key.clone();
    }

    byte[] keyInternal() {
        return key;
    }

    /** The key as text when it is printable ASCII, else as hex. */
    public String keyText() {
        return describe(key);
    }

    /** How many times the transaction ran before giving up (1 for a single commit). */
    public int attempts() {
        return attempts;
    }

    static String describe(byte[] key) {
        boolean printable = key.length > 0;
        for (byte b : key) {
            printable &= b >= 0x20 && b < 0x7f;
        }
        String hex = "0x" + HexFormat.of().formatHex(key, 0, Math.min(key.length, 64)) + (key.length > 64 ? "..." : "");
        return printable ? "\"" + new String(key, StandardCharsets.US_ASCII) + "\" (" + hex + ")" : hex;
    }
}
