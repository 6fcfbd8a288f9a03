package io.lightningdb.txn;

/**
 * Limits of the transaction layer.
 *
 * {@snippet class=io.lightningdb.txn.TxnExamples region="config"}
 *
 * @param maxActiveTransactions open transactions at most, in [1, 1048576]; {@code begin} waits
 *     beyond it
 * @param beginWaitNanos how long {@code begin} waits for a transaction to end when
 *     {@code maxActiveTransactions} are open, in [0, 1 h]
 * @param conflictRetryLimit retries after a conflict in {@code inTransaction}, in [0, 1000]
 * @param conflictRetryDelayNanos the first retry's mean delay (doubling, jittered), in [0, 10 s]
 * @param maxVersionBytes heap bytes old versions may hold before the oldest snapshot is aborted,
 *     in [64 KiB, 1 TiB]
 * @param optimisticLocking true: no key locks, conflicts found at commit; false: writes and
 *     reads for update lock their key until the transaction ends (waiting at most
 *     {@code beginWaitNanos}), so rivals wait instead of failing at commit
 */
public record TxnConfig(int maxActiveTransactions, long beginWaitNanos, int conflictRetryLimit,
        long conflictRetryDelayNanos, long maxVersionBytes, boolean optimisticLocking) {
    public static final int MAX_ACTIVE_LIMIT = 1 << 20;
    public static final long MAX_BEGIN_WAIT_NANOS = 3_600_000_000_000L;
    public static final int MAX_RETRY_LIMIT = 1000;
    public static final long MAX_RETRY_DELAY_NANOS = 10_000_000_000L;
    public static final long MIN_VERSION_BYTES = 64L << 10;
    public static final long MAX_VERSION_BYTES = 1L << 40;

    public TxnConfig {
        check("maxActiveTransactions", maxActiveTransactions, 1, MAX_ACTIVE_LIMIT);
        check("transactionWaitTimeout (ns)", beginWaitNanos, 0, MAX_BEGIN_WAIT_NANOS);
        check("conflictRetryLimit", conflictRetryLimit, 0, MAX_RETRY_LIMIT);
        check("conflictRetryDelay (ns)", conflictRetryDelayNanos, 0, MAX_RETRY_DELAY_NANOS);
        check("maxVersionMemory", maxVersionBytes, MIN_VERSION_BYTES, MAX_VERSION_BYTES);
    }

    private static void check(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + v);
        }
    }
}
