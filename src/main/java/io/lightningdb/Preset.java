package io.lightningdb;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Starting points from the production guide, each a builder with some knobs set (only knobs that
 * exist and work; docs/configuration.md says what each sets and why). Tune from there.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="preset"}
 */
public enum Preset {
    /** Many small transactions, latency first: small pages, SIMD search, durable group commit, many transactions. */
    OLTP("Many small transactions, latency first: small pages, SIMD search, durable group commit, many transactions.") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            // CLOCK, not ARC: on a cache-resident read load ARC served 0.78-0.99x of CLOCK's reads
            // (docs/bench.md), and on a disk-bound one it was level with scan-resistant CLOCK.
            b.pageSize(4096).enableSimdSearch(true).cacheAlgorithm(CacheAlgorithm.CLOCK).enableScanResistance(true)
                    .walSyncMode(WalSyncMode.BATCH).writeBatchSize(1000).walBatchMaxWait(Duration.ofNanos(200_000))
                    .maxActiveTransactions(10_000).conflictRetryLimit(5).conflictRetryDelay(Duration.ofMillis(1))
                    .optimisticLocking(true);
        }
    },
    /** Large scans and bulk loads: larger pages keeping values up to 4 KiB with their keys, scan resistance, deep queues. */
    OLAP("Large scans and bulk loads: larger pages keeping values up to 4 KiB with their keys, scan resistance, deep I/O"
            + " queues and read-ahead, rare checkpoints.") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            b.pageSize(16384).cacheAlgorithm(CacheAlgorithm.CLOCK).enableScanResistance(true).ioUringQueueDepth(256)
                    .walSyncMode(WalSyncMode.ASYNC).walSegmentSize(256L << 20).maxWalSize(1L << 30)
                    .maxVersionMemory(1L << 30).valueSeparationThreshold(4096).readAheadPages(256)
                    .prefetchDistance(256).prefetchWorkers(8);
        }
    },
    /** Reads and writes alike: adaptive replacement, durable group commit. */
    MIXED("Reads and writes alike: adaptive replacement, durable group commit.") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            b.cacheAlgorithm(CacheAlgorithm.ARC).walSyncMode(WalSyncMode.BATCH);
        }
    },
    /** Write throughput: group commit with larger groups, large log segments, checkpoints every 1 GiB of log. */
    WRITE_HEAVY("Write throughput: group commit with larger groups, large log segments, checkpoints every 1 GiB of log.") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            b.walSyncMode(WalSyncMode.BATCH).writeBatchSize(4096).walBatchMaxWait(Duration.ofMillis(1))
                    .walSegmentSize(256L << 20).maxWalSize(1L << 30).ioUringQueueDepth(128);
        }
    },
    /** Read throughput: hot pages pinned, adaptive replacement, scan resistance. */
    READ_HEAVY("Read throughput: hot pages pinned, adaptive replacement, scan resistance.") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            b.cacheAlgorithm(CacheAlgorithm.ARC).pinHotPages(true).hotPageThreshold(1000).hotPartitionRatio(0.3)
                    .enableScanResistance(true).enableSimdSearch(true);
        }
    },
    /** Under 4 GB of RAM: a 256 MiB cache that never holds more, few transactions, little memory for old versions and the log. */
    MEMORY_CONSTRAINED("Under 4 GB of RAM: a 256 MiB cache whose evicted memory goes back at once, few transactions, little"
            + " memory for old versions and the log.") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            // IMMEDIATE: resident memory stays within the cache, which what a small machine's other
            // processes (and its OOM killer, which counts lazily freed pages until they are taken) see.
            b.cacheSize(256L << 20).evictedMemory(EvictedMemory.IMMEDIATE).maxActiveTransactions(100).writeBatchSize(1000).maxVersionMemory(16L << 20)
                    .walSegmentSize(16L << 20).maxWalSize(64L << 20).ioUringQueueDepth(32);
        }
    },
    /** Over 64 GB of RAM: a cache of 80% of physical memory, hot pages pinned, ample version memory. */
    HIGH_MEMORY("Over 64 GB of RAM: a cache of 80% of physical memory, hot pages pinned, ample version memory.") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            long ram = LightningDbConfig.totalMemory();
            b.cacheSize(Math.max(LightningDbConfig.MIN_CACHE_SIZE << 6, (long) (ram * 0.8))).pinHotPages(true)
                    .hotPageThreshold(1000).maxVersionMemory(4L << 30).ioUringQueueDepth(256);
        }
    },
    /** Solid-state disks: O_DIRECT with io_uring, deep queues and read-ahead (the device serves many reads at once). */
    SSD("Solid-state disks: O_DIRECT with io_uring, deep queues and scans reading 256 leaves ahead (the device serves"
            + " many reads at once).") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            b.useDirectIo(true).ioUringEnabled(true).ioUringQueueDepth(256).walSyncMode(WalSyncMode.BATCH)
                    .readAheadPages(256).prefetchDistance(64).prefetchWorkers(4);
        }
    },
    /** Spinning disks: larger pages keeping values up to 4 KiB with their keys, shallow queues, longer commit groups. */
    HDD("Spinning disks: larger pages (fewer seeks per byte) keeping values up to 4 KiB with their keys, shallow queues,"
            + " longer group-commit holds.") {
        @Override
        void apply(LightningDbConfig.Builder b) {
            b.pageSize(16384).ioUringQueueDepth(16).walSyncMode(WalSyncMode.BATCH).walBatchMaxWait(Duration.ofMillis(2))
                    .writeBatchSize(4096).maxWalSize(512L << 20).valueSeparationThreshold(4096).prefetchDistance(128);
        }
    };

    private final String description;

    Preset(String description) {
        this.description = description;
    }

    abstract void apply(LightningDbConfig.Builder b);

    /** What the preset is for and what it sets, in one line. */
    public String description() {
        return description;
    }

    /** A builder with this preset's knobs set on top of the defaults. */
    public LightningDbConfig.Builder builder() {
        LightningDbConfig.Builder b = LightningDbConfig.builder();
        apply(b);
        return b;
    }

    /** The name used in files and on the command line: "oltp", "write_heavy", ... */
    public String fileName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The preset named {@code name} (case-insensitive, '-' or '_'), or null. */
    public static Preset byName(String name) {
        String n = name.trim().replace('-', '_');
        for (Preset p : values()) {
            if (p.name().equalsIgnoreCase(n)) {
                return p;
            }
        }
        return null;
    }

    /** All names, for messages. */
    public static String names() {
        return Arrays.stream(values()).map(Preset::fileName).collect(Collectors.joining(", "));
    }
}
