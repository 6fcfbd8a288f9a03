package io.lightningdb.wal;

/**
 * How the write-ahead log syncs and how large its segment files are.
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="config"}
 *
 * @param syncMode when a commit counts as durable, see {@link SyncMode}
 * @param writeBatchSize BATCH: a leader holding a group open closes it as soon as this many records
 *     are pending, in [1, 1048576]
 * @param batchMaxWaitNanos BATCH: the longest a leader holds a group open for more committers, in
 *     [0, 1 s]; 0 makes BATCH behave as SYNC
 * @param flushIntervalNanos ASYNC: the background sync period, the most a crash can lose, in
 *     [100 µs, 60 s]
 * @param segmentSize bytes of a full-size segment file, a multiple of 4096 in [64 KiB, 2 GiB] (a new log
 *     starts at 1 MiB and doubles up to it); the largest payload is this minus
 *     {@link WalFormat#SEGMENT_HEADER_SIZE} and {@link WalFormat#RECORD_OVERHEAD} ({@link #maxPayload()})
 */
public record WalConfig(SyncMode syncMode, int writeBatchSize, long batchMaxWaitNanos,
        long flushIntervalNanos, long segmentSize) {
    public static final int MAX_WRITE_BATCH_SIZE = 1 << 20;
    public static final long MAX_BATCH_WAIT_NANOS = 1_000_000_000L;
    public static final long MIN_FLUSH_INTERVAL_NANOS = 100_000L;
    public static final long MAX_FLUSH_INTERVAL_NANOS = 60_000_000_000L;
    public static final long MIN_SEGMENT_SIZE = 64L << 10;
    public static final long MAX_SEGMENT_SIZE = 2L << 30;

    public WalConfig {
        if (syncMode == null) {
            throw new NullPointerException("syncMode");
        }
        checkRange("writeBatchSize", writeBatchSize, 1, MAX_WRITE_BATCH_SIZE);
        checkRange("batchMaxWaitNanos", batchMaxWaitNanos, 0, MAX_BATCH_WAIT_NANOS);
        checkRange("flushIntervalNanos", flushIntervalNanos, MIN_FLUSH_INTERVAL_NANOS, MAX_FLUSH_INTERVAL_NANOS);
        checkRange("segmentSize", segmentSize, MIN_SEGMENT_SIZE, MAX_SEGMENT_SIZE);
        if (segmentSize % WalFormat.SEGMENT_HEADER_SIZE != 0) {
            throw new IllegalArgumentException("segmentSize must be a multiple of " + WalFormat.SEGMENT_HEADER_SIZE
                    + ", got " + segmentSize);
        }
    }

    private static void checkRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** BATCH, groups of up to 64, 500 µs batch wait, 10 ms ASYNC interval, 64 MiB segments. */
    public static WalConfig defaults() {
        return new WalConfig(SyncMode.BATCH, 64, 500_000L, 10_000_000L, 64L << 20);
    }

    public WalConfig withSyncMode(SyncMode mode) {
        return new WalConfig(mode, writeBatchSize, batchMaxWaitNanos, flushIntervalNanos, segmentSize);
    }

    /** The most payload bytes ({@code a} plus {@code b}) one record may carry with this segment size. */
    public long maxPayload() {
        return WalFormat.maxPayload(segmentSize);
    }
}
