package io.lightningdb.engine;

import java.util.BitSet;

/**
 * Pinning a thread to CPUs, or restoring its previous CPUs, failed. Unchecked: pinning is a
 * placement optimisation ({@code pin_threads}), so callers usually log this and run unpinned.
 */
public final class ThreadPinningException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final BitSet cpus;

    public ThreadPinningException(String message, BitSet cpus, Throwable cause) {
        super(message, cause);
        this.cpus = (BitSet) cpus.clone();
    }

    /** The CPUs the thread was to be pinned to (or restored to). */
    public BitSet cpus() {
        return (BitSet) cpus.clone();
    }
}
