package io.lightningdb.crash;

import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import java.time.Duration;

/**
 * The one place the crash harness builds its database config: the sync mode under test, a small
 * cache, small log segments and a checkpoint every MiB of log, so kills land during evictions,
 * segment switches and checkpoints too, not only between writes.
 */
final class CrashConfig {
    /** The WAL modes the harness runs, as the names of {@code WalSyncMode} constants. */
    static final String SYNC = "SYNC";
    static final String BATCH = "BATCH";
    static final String ASYNC = "ASYNC";

    /** ASYNC's background sync interval, shared by the writer child and the checking parent. */
    static final Duration ASYNC_FLUSH_INTERVAL = Duration.ofMillis(200);

    private CrashConfig() {}

    /**
     * A small cache (4 MiB of 4 KiB pages) so the writer evicts dirty pages between checkpoints:
     * the crash then lands on a file whose pages are partly newer than its superblock.
     */
    static LightningDbConfig config(String mode, Duration flushInterval) {
        if (!mode.equals(SYNC) && !mode.equals(BATCH) && !mode.equals(ASYNC)) {
            throw new IllegalArgumentException("mode must be SYNC, BATCH or ASYNC, got " + mode);
        }
        if (flushInterval.isNegative() || flushInterval.isZero()) {
            throw new IllegalArgumentException("flushInterval must be positive, got " + flushInterval);
        }
        return LightningDbConfig.builder()
                .cacheSize(4L << 20)
                .pageSize(4096)
                .maxDatabaseSize(1L << 30)
                .walSyncMode(WalSyncMode.valueOf(mode))
                .walFlushInterval(flushInterval)
                .walSegmentSize(1L << 20)
                .maxWalSize(1L << 20)
                .build();
    }
}
