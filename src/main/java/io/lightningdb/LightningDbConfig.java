package io.lightningdb;

import io.lightningdb.cache.CacheConfig;
import io.lightningdb.cache.PolicyKind;
import io.lightningdb.io.PageIOBackend;
import io.lightningdb.io.IoConfig;
import io.lightningdb.txn.TxnConfig;
import io.lightningdb.wal.SyncMode;
import io.lightningdb.wal.WalConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every tuning knob of the database, named after the production guide's fields in camelCase.
 * Immutable; {@link Builder#build()} checks every field and names the one out of range.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="builder"}
 */
public final class LightningDbConfig {
    public static final int MIN_PAGE_SIZE = 4096;
    public static final int MAX_PAGE_SIZE = 65536;
    public static final long MIN_CACHE_SIZE = 1L << 20;
    public static final long MIN_DATABASE_SIZE = 16L << 20;
    public static final long MAX_DATABASE_SIZE = 64L << 40;
    public static final long MIN_WAL_SIZE = 1L << 20;
    public static final long MAX_WAL_SIZE = 64L << 30;
    /** Default {@code scanBatchSize}: the guide's, entries per part of a parallel scan. */
    public static final int DEFAULT_SCAN_BATCH_SIZE = 100_000;
    /** Smallest {@code scanBatchSize}. */
    public static final int MIN_SCAN_BATCH_SIZE = 1_000;
    /** Largest {@code scanBatchSize}. */
    public static final int MAX_SCAN_BATCH_SIZE = 100_000_000;
    /** Largest {@code scanThreads}. */
    public static final int MAX_SCAN_THREADS = 256;
    /** Default {@code prefetchDistance}: the guide's for NVMe, in leaves. */
    public static final int DEFAULT_PREFETCH_DISTANCE = 64;
    /** Largest {@code prefetchWorkers}. */
    public static final int MAX_PREFETCH_WORKERS = 64;
    /** Default {@code readAheadPages}: 256 KiB of 4 KiB leaves, as RocksDB's auto-readahead cap. */
    public static final int DEFAULT_READ_AHEAD_PAGES = 64;
    /** Largest {@code readAheadPages}. */
    public static final int MAX_READ_AHEAD_PAGES = 4096;
    /** Default {@code valueSeparationThreshold}: values from half a KiB on leave the leaves. */
    public static final int DEFAULT_VALUE_SEPARATION_THRESHOLD = 512;
    /** Largest {@code autoCompactThreshold}: past it the file would be mostly free before compacting. */
    public static final double MAX_AUTO_COMPACT_THRESHOLD = 0.9;
    public static final int MAX_THREADS_PER_NUMA_NODE = 1024;
    public static final int MAX_CONCURRENT_WRITERS = 1024;
    /** Past the cores of most machines, so writers rarely queue at the gate rather than on the CPU. */
    static final int DEFAULT_CONCURRENT_WRITERS = 8;
    /**
     * The default {@code cacheSize}: 256 MiB, or a quarter of the memory this JVM sees when that is
     * less (in a container, its memory limit: the JDK reads the cgroup's), as the JVM sizes its own
     * default heap; never below 16 MiB.
     */
    public static final long DEFAULT_CACHE_SIZE = defaultCacheSize(totalMemory());
    public static final long MIN_MEMORY_POOL_SIZE = 64L << 10;
    public static final long MAX_MEMORY_POOL_SIZE = 1L << 40;

    private final long cacheSize;
    private final int pageSize;
    private final int maxKeySize;
    private final long maxDatabaseSize;
    private final boolean enableSimdSearch;
    private final IoConfig io;
    private final CacheAlgorithm cacheAlgorithm;
    private final CacheConfig cache;
    private final WalSyncMode walSyncMode;
    private final WalConfig wal;
    private final long maxWalSize;
    private final int maxConcurrentWriters;
    private final double autoCompactThreshold;
    private final int valueSeparationThreshold;
    private final boolean warmRestart;
    private final int readAheadPages;
    private final boolean prefetchEnabled;
    private final int prefetchDistance;
    private final int prefetchWorkers;
    private final boolean enableParallelScan;
    private final int scanThreads;
    private final int scanBatchSize;
    private final TxnConfig transactions;
    // NUMA placement, the background threads and the scratch pools (see docs/configuration.md).
    private final boolean enableNumaAwareness;
    private final List<Integer> numaNodes;
    private final MemoryAllocator memoryAllocator;
    private final boolean pinThreads;
    private final int threadsPerNumaNode;
    private final boolean enableMemoryPools;
    private final long memoryPoolSize;

    private LightningDbConfig(Builder b, CacheConfig cache, WalConfig wal, TxnConfig transactions) {
        this.cacheSize = b.cacheSize;
        this.pageSize = b.pageSize;
        this.maxKeySize = b.maxKeySize;
        this.maxDatabaseSize = b.maxDatabaseSize;
        this.enableSimdSearch = b.enableSimdSearch;
        this.io = IoConfig.builder().backend(PageIOBackend.valueOf(b.ioBackend.name())).useDirectIo(b.useDirectIo).ioUringEnabled(b.ioUringEnabled)
                .ioUringQueueDepth(b.ioUringQueueDepth).build();
        this.cacheAlgorithm = b.cacheAlgorithm;
        this.cache = cache;
        this.walSyncMode = b.walSyncMode;
        this.wal = wal;
        this.maxWalSize = b.maxWalSize;
        this.maxConcurrentWriters = b.maxConcurrentWriters;
        this.autoCompactThreshold = b.autoCompactThreshold;
        this.valueSeparationThreshold = b.valueSeparationThreshold;
        this.warmRestart = b.warmRestart;
        this.readAheadPages = b.readAheadPages;
        this.prefetchEnabled = b.prefetchEnabled;
        this.prefetchDistance = b.prefetchDistance;
        this.prefetchWorkers = b.prefetchWorkers;
        this.enableParallelScan = b.enableParallelScan;
        this.scanThreads = b.scanThreads;
        this.scanBatchSize = b.scanBatchSize;
        this.transactions = transactions;
        this.enableNumaAwareness = b.enableNumaAwareness;
        this.numaNodes = b.numaNodes;
        this.memoryAllocator = b.memoryAllocator;
        this.pinThreads = b.pinThreads;
        this.threadsPerNumaNode = b.threadsPerNumaNode;
        this.enableMemoryPools = b.enableMemoryPools;
        this.memoryPoolSize = b.memoryPoolSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * 256 MiB cache ({@link #DEFAULT_CACHE_SIZE}: less in a container with under 1 GiB) with CLOCK and scan resistance (pinning off), 4 KiB pages, 1 KiB keys, SIMD
     * search, AUTO I/O with O_DIRECT, SYNC writes, 64 MiB log segments, a checkpoint every 128 MiB
     * of log.
     */
    public static LightningDbConfig defaults() {
        return builder().build();
    }

    /** The memory this JVM sees: the machine's, or its container's limit; 0 when the JDK cannot tell. */
    static long totalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    /** {@link #DEFAULT_CACHE_SIZE} for {@code memory} bytes (0: unknown), in whole MiB. */
    static long defaultCacheSize(long memory) {
        long quarter = memory > 0 ? memory / 4 : Long.MAX_VALUE;
        return Math.max(16L << 20, Math.min(256L << 20, quarter)) >> 20 << 20;
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.cacheSize = cacheSize;
        b.pageSize = pageSize;
        b.maxKeySize = maxKeySize;
        b.maxDatabaseSize = maxDatabaseSize;
        b.enableSimdSearch = enableSimdSearch;
        b.ioBackend = ioBackend();
        b.useDirectIo = io.useDirectIo();
        b.ioUringEnabled = io.ioUringEnabled();
        b.ioUringQueueDepth = io.ioUringQueueDepth();
        b.cacheAlgorithm = cacheAlgorithm;
        b.enableScanResistance = cache.enableScanResistance();
        b.evictedMemory = evictedMemory();
        b.pinHotPages = cache.pinHotPages();
        b.hotPageThreshold = cache.hotPageThreshold();
        b.hotPartitionRatio = cache.hotPartitionRatio();
        b.walSyncMode = walSyncMode;
        b.writeBatchSize = wal.writeBatchSize();
        b.walBatchMaxWait = Duration.ofNanos(wal.batchMaxWaitNanos());
        b.walFlushInterval = Duration.ofNanos(wal.flushIntervalNanos());
        b.walSegmentSize = wal.segmentSize();
        b.maxWalSize = maxWalSize;
        b.maxConcurrentWriters = maxConcurrentWriters;
        b.autoCompactThreshold = autoCompactThreshold;
        b.valueSeparationThreshold = valueSeparationThreshold;
        b.warmRestart = warmRestart;
        b.readAheadPages = readAheadPages;
        b.prefetchEnabled = prefetchEnabled;
        b.prefetchDistance = prefetchDistance;
        b.prefetchWorkers = prefetchWorkers;
        b.enableParallelScan = enableParallelScan;
        b.scanThreads = scanThreads;
        b.scanBatchSize = scanBatchSize;
        b.maxActiveTransactions = transactions.maxActiveTransactions();
        b.transactionWaitTimeout = Duration.ofNanos(transactions.beginWaitNanos());
        b.conflictRetryLimit = transactions.conflictRetryLimit();
        b.conflictRetryDelay = Duration.ofNanos(transactions.conflictRetryDelayNanos());
        b.maxVersionMemory = transactions.maxVersionBytes();
        b.optimisticLocking = transactions.optimisticLocking();
        b.enableNumaAwareness = enableNumaAwareness;
        b.numaNodes = numaNodes;
        b.memoryAllocator = memoryAllocator;
        b.pinThreads = pinThreads;
        b.threadsPerNumaNode = threadsPerNumaNode;
        b.enableMemoryPools = enableMemoryPools;
        b.memoryPoolSize = memoryPoolSize;
        return b;
    }

    /** Bytes of pages the buffer pool holds in memory at most. */
    public long cacheSize() {
        return cacheSize;
    }

    /** Bytes per page for a new database (an existing one keeps its own). */
    public int pageSize() {
        return pageSize;
    }

    /** Longest key accepted, in bytes (at most a quarter of the page size). */
    public int maxKeySize() {
        return maxKeySize;
    }

    /** Largest the database file may grow; also the size of the buffer pool's address reservation. */
    public long maxDatabaseSize() {
        return maxDatabaseSize;
    }

    /** Search node key heads with the Vector API (scalar when off or unavailable). */
    public boolean enableSimdSearch() {
        return enableSimdSearch;
    }

    /** The page I/O backend asked for: {@code AUTO} (default) picks the best that works here. */
    public IoBackend ioBackend() {
        return IoBackend.valueOf(io.backend().name());
    }

    /** Whether files are opened with O_DIRECT where the filesystem allows it. */
    public boolean useDirectIo() {
        return io.useDirectIo();
    }

    /** Whether {@code AUTO} may choose io_uring. */
    public boolean ioUringEnabled() {
        return io.ioUringEnabled();
    }

    /** io_uring submission queue entries: the most requests in flight per ring. */
    public int ioUringQueueDepth() {
        return io.ioUringQueueDepth();
    }

    /** The I/O settings as the page I/O layer takes them. */
    IoConfig io() {
        return io;
    }

    /** The buffer pool's replacement policy. */
    public CacheAlgorithm cacheAlgorithm() {
        return cacheAlgorithm;
    }

    /** What becomes of an evicted page's memory: given back lazily (default) or at once. */
    public EvictedMemory evictedMemory() {
        return cache.lazyRelease() ? EvictedMemory.LAZY : EvictedMemory.IMMEDIATE;
    }

    /** New pages must be touched twice before they are protected from later ones (CLOCK, LRU; ARC always is). */
    public boolean enableScanResistance() {
        return cache.enableScanResistance();
    }

    /** Pages accessed at least {@link #hotPageThreshold()} times stay in memory (within {@link #hotPartitionRatio()}). */
    public boolean pinHotPages() {
        return cache.pinHotPages();
    }

    /** Accesses (within about a cache turnover) that make a page hot enough to pin. */
    public int hotPageThreshold() {
        return cache.hotPageThreshold();
    }

    /** The most of the cache pinned pages may hold. */
    public double hotPartitionRatio() {
        return cache.hotPartitionRatio();
    }

    /** When a write returns: after its log record is synced (SYNC, BATCH) or at once (ASYNC). */
    public WalSyncMode walSyncMode() {
        return walSyncMode;
    }

    /** BATCH: a group commit closes as soon as this many records wait. */
    public int writeBatchSize() {
        return wal.writeBatchSize();
    }

    /** BATCH: the longest the syncing thread holds a group open for writers on their way. */
    public Duration walBatchMaxWait() {
        return Duration.ofNanos(wal.batchMaxWaitNanos());
    }

    /** ASYNC: how often the log is synced; about the most writes a crash can lose. */
    public Duration walFlushInterval() {
        return Duration.ofNanos(wal.flushIntervalNanos());
    }

    /** Bytes per log segment file; the largest write (key + value, or a whole batch) must fit in one. */
    public long walSegmentSize() {
        return wal.segmentSize();
    }

    /** Log bytes since the last checkpoint that start the next one: bounds recovery time and log space. */
    public long maxWalSize() {
        return maxWalSize;
    }

    /**
     * Plain writes (puts, deletes, batches outside transactions) applied at once; more wait their
     * turn. Writers of different leaves run in parallel; commits run alone.
     */
    public int maxConcurrentWriters() {
        return maxConcurrentWriters;
    }

    /**
     * The share of the data file that, free through a whole interval between two checkpoints,
     * makes the checkpoint thread compact the file (as {@code Database.compact} does); 0 turns it off.
     */
    public double autoCompactThreshold() {
        return autoCompactThreshold;
    }

    /**
     * Values of at least this many bytes (up to about a page) are kept out of the leaves, packed
     * into value pages; 0 keeps every value with its key.
     */
    public int valueSeparationThreshold() {
        return valueSeparationThreshold;
    }

    /** Whether the cache's hot pages are listed at close and read back in the background at open. */
    public boolean warmRestart() {
        return warmRestart;
    }

    public int readAheadPages() {
        return readAheadPages;
    }

    public boolean prefetchEnabled() {
        return prefetchEnabled;
    }

    public int prefetchDistance() {
        return prefetchDistance;
    }

    public int prefetchWorkers() {
        return prefetchWorkers;
    }

    public boolean enableParallelScan() {
        return enableParallelScan;
    }

    public int scanThreads() {
        return scanThreads;
    }

    public int scanBatchSize() {
        return scanBatchSize;
    }

    /** Open transactions at most; {@code begin} waits {@link #transactionWaitTimeout()} beyond it. */
    public int maxActiveTransactions() {
        return transactions.maxActiveTransactions();
    }

    /** How long {@code begin} waits for a slot when {@link #maxActiveTransactions()} are open. */
    public Duration transactionWaitTimeout() {
        return Duration.ofNanos(transactions.beginWaitNanos());
    }

    /** Re-runs of {@code inTransaction} after a conflict before the conflict is thrown. */
    public int conflictRetryLimit() {
        return transactions.conflictRetryLimit();
    }

    /** The mean wait before the first re-run after a conflict (doubling for each next one, jittered ±50%). */
    public Duration conflictRetryDelay() {
        return Duration.ofNanos(transactions.conflictRetryDelayNanos());
    }

    /** Heap bytes old versions kept for open snapshots may take before the oldest snapshot is aborted. */
    public long maxVersionMemory() {
        return transactions.maxVersionBytes();
    }

    /** Whether transactions find conflicts at commit (true) or lock the keys they write (false). */
    public boolean optimisticLocking() {
        return transactions.optimisticLocking();
    }

    /** The transaction settings as the transaction layer takes them. */
    TxnConfig transactions() {
        return transactions;
    }

    /** The log settings as the write-ahead log takes them. */
    WalConfig wal() {
        return wal;
    }

    /** The cache settings as the buffer pool takes them. */
    CacheConfig cache() {
        return cache;
    }

    /** Whether the buffer pool's frames are placed by {@link #memoryAllocator()} on {@link #numaNodes()}. */
    public boolean enableNumaAwareness() {
        return enableNumaAwareness;
    }

    /** The NUMA nodes placement and pinned threads use, ascending; empty means every node of the machine. */
    public List<Integer> numaNodes() {
        return numaNodes;
    }

    /** How frames are placed when {@link #enableNumaAwareness()} is on. */
    public MemoryAllocator memoryAllocator() {
        return memoryAllocator;
    }

    /** Whether the engine's background threads are pinned to the CPUs of their NUMA node. */
    public boolean pinThreads() {
        return pinThreads;
    }

    /** Consecutive background threads pinned to one node before the next node of {@link #numaNodes()} gets any. */
    public int threadsPerNumaNode() {
        return threadsPerNumaNode;
    }

    /** Whether released scratch buffers (checkpoint copies and buffers) are kept for reuse. */
    public boolean enableMemoryPools() {
        return enableMemoryPools;
    }

    /** The most bytes of released scratch buffers kept for reuse. */
    public long memoryPoolSize() {
        return memoryPoolSize;
    }

    /**
     * The configuration in a JSON file: one object whose fields are the builder's knobs
     * (docs/configuration.md lists them), sizes as bytes or "256MiB", durations as "10ms", and an
     * optional {@code "preset"} to start from. Nothing is built from a file with a problem.
     *
     * {@snippet class=io.lightningdb.examples.ConfigExamples region="fromFile"}
     *
     * @throws ConfigFileException naming the file, the field and what is allowed
     */
    public static LightningDbConfig fromFile(Path file) {
        return ConfigJson.read(file);
    }

    /** The configuration in {@code json}, as {@link #fromFile}; {@code source} names it in messages. */
    public static LightningDbConfig fromJson(String json, Path source) {
        return ConfigJson.parse(json, source);
    }

    /** This configuration as a JSON object with every field explicit ({@link #fromJson} reads it back). */
    public String toJson() {
        return ConfigJson.toJson(this);
    }

    /** Writes {@link #toJson()} to {@code file}, replacing it atomically. */
    public void writeTo(Path file) throws IOException {
        ConfigJson.write(this, file);
    }

    /**
     * The fields whose values differ from {@code previous}, each as "name: previous -> this", in
     * the order of docs/configuration.md; empty when they agree.
     */
    public List<String> differencesFrom(LightningDbConfig previous) {
        return ConfigJson.differences(previous, this);
    }

    @Override
    public String toString() {
        return "LightningDbConfig[" + ConfigJson.describe(this) + "]";
    }

    /** Builder; every setter's field is checked at {@link #build()}. */
    public static final class Builder {
        private long cacheSize = DEFAULT_CACHE_SIZE;
        private int pageSize = 4096;
        private int maxKeySize = 1024;
        private long maxDatabaseSize = 1L << 40;
        private boolean enableSimdSearch = true;
        private IoBackend ioBackend = IoBackend.AUTO;
        private boolean useDirectIo = true;
        private boolean ioUringEnabled = true;
        private int ioUringQueueDepth = 64;
        private CacheAlgorithm cacheAlgorithm = CacheAlgorithm.CLOCK;
        private boolean enableScanResistance = true;
        private EvictedMemory evictedMemory = EvictedMemory.LAZY;
        private boolean pinHotPages = false;
        private int hotPageThreshold = 1000;
        private double hotPartitionRatio = 0.3;
        private WalSyncMode walSyncMode = WalSyncMode.SYNC;
        private int writeBatchSize = 1000;
        private Duration walBatchMaxWait = Duration.ofNanos(500_000);
        private Duration walFlushInterval = Duration.ofMillis(10);
        private long walSegmentSize = 64L << 20;
        private long maxWalSize = 128L << 20;
        private int maxConcurrentWriters = DEFAULT_CONCURRENT_WRITERS;
        private double autoCompactThreshold = 0.25;
        private int valueSeparationThreshold = DEFAULT_VALUE_SEPARATION_THRESHOLD;
        private boolean warmRestart = true;
        private int readAheadPages = DEFAULT_READ_AHEAD_PAGES;
        private boolean prefetchEnabled = true;
        private int prefetchDistance = DEFAULT_PREFETCH_DISTANCE;
        private int prefetchWorkers = Math.min(4, Runtime.getRuntime().availableProcessors());
        private boolean enableParallelScan = true;
        private int scanThreads = Math.min(MAX_SCAN_THREADS, Runtime.getRuntime().availableProcessors());
        private int scanBatchSize = DEFAULT_SCAN_BATCH_SIZE;
        private int maxActiveTransactions = 1000;
        private Duration transactionWaitTimeout = Duration.ofSeconds(1);
        private int conflictRetryLimit = 5;
        private Duration conflictRetryDelay = Duration.ofMillis(1);
        private long maxVersionMemory = 128L << 20;
        private boolean optimisticLocking = true;
        private boolean enableNumaAwareness = false;
        private List<Integer> numaNodes = List.of();
        private MemoryAllocator memoryAllocator = MemoryAllocator.NUMA_LOCAL;
        private boolean pinThreads = false;
        private int threadsPerNumaNode = 1;
        private boolean enableMemoryPools = true;
        private long memoryPoolSize = 64L << 20;

        private Builder() {}

        /**
         * Off by default: place the buffer pool's frames by {@code memoryAllocator} on {@code
         * numaNodes} (an mbind of the frame reservation at open). Without libnuma a logged no-op.
         */
        public Builder enableNumaAwareness(boolean on) {
            this.enableNumaAwareness = on;
            return this;
        }

        /**
         * The nodes placement and pinned threads use, each in [0, 1023]; none (the default) means
         * every node. A node the machine does not have is refused at open.
         */
        public Builder numaNodes(int... nodes) {
            this.numaNodes = java.util.Arrays.stream(nodes).sorted().distinct().boxed().toList();
            return this;
        }

        /** The same, as a list (empty: every node). */
        public Builder numaNodes(List<Integer> nodes) {
            return numaNodes(nodes.stream().mapToInt(Integer::intValue).toArray());
        }

        /** DEFAULT, NUMA_LOCAL (default), NUMA_INTERLEAVE or {@link MemoryAllocator#numaNode(int) NUMA_NODE(n)}. */
        public Builder memoryAllocator(MemoryAllocator allocator) {
            this.memoryAllocator = Objects.requireNonNull(allocator, "memoryAllocator");
            return this;
        }

        /** Off by default: pin each background thread to the CPUs of a node of {@code numaNodes}. */
        public Builder pinThreads(boolean on) {
            this.pinThreads = on;
            return this;
        }

        /** With {@code pinThreads}: consecutive threads given to one node before the next, in [1, 1024]; default 1. */
        public Builder threadsPerNumaNode(int threads) {
            this.threadsPerNumaNode = threads;
            return this;
        }

        /** On by default: keep released scratch buffers (up to {@code memoryPoolSize}) for reuse instead of freeing them. */
        public Builder enableMemoryPools(boolean on) {
            this.enableMemoryPools = on;
            return this;
        }

        /** Bytes of released scratch buffers kept for reuse, in [64 KiB, 1 TiB]; default 64 MiB. */
        public Builder memoryPoolSize(long bytes) {
            this.memoryPoolSize = bytes;
            return this;
        }

        /**
         * True (default): transactions take no locks and a conflict refuses the later commit. False:
         * a transaction's put, delete and {@code getForUpdate} lock the key until it ends; a rival
         * waits (up to {@code transactionWaitTimeout}, or fails at once on a deadlock) instead of
         * doing its work and failing at commit, and {@code getForUpdate} reads the newest value.
         */
        public Builder optimisticLocking(boolean on) {
            this.optimisticLocking = on;
            return this;
        }

        /** Open transactions at most, in [1, 1048576]; default 1000. {@code begin} waits beyond it. */
        public Builder maxActiveTransactions(int transactions) {
            this.maxActiveTransactions = transactions;
            return this;
        }

        /** How long {@code begin} waits for a transaction to end when the limit is reached, in [0, 1 h]; default 1 s. */
        public Builder transactionWaitTimeout(Duration wait) {
            this.transactionWaitTimeout = Objects.requireNonNull(wait, "transactionWaitTimeout");
            return this;
        }

        /** Re-runs of {@code inTransaction} after a conflict, in [0, 1000]; default 5. */
        public Builder conflictRetryLimit(int retries) {
            this.conflictRetryLimit = retries;
            return this;
        }

        /** Mean wait before the first re-run after a conflict, doubling after each, in [0, 10 s]; default 1 ms. */
        public Builder conflictRetryDelay(Duration delay) {
            this.conflictRetryDelay = Objects.requireNonNull(delay, "conflictRetryDelay");
            return this;
        }

        /**
         * Heap bytes the old versions kept for open snapshots may take, in [64 KiB, 1 TiB]; default
         * 128 MiB. Past it the oldest open transaction is aborted ({@link SnapshotTooOldException}).
         */
        public Builder maxVersionMemory(long bytes) {
            this.maxVersionMemory = bytes;
            return this;
        }

        /** SYNC (default), BATCH or ASYNC: see {@link WalSyncMode}. */
        public Builder walSyncMode(WalSyncMode mode) {
            this.walSyncMode = Objects.requireNonNull(mode, "walSyncMode");
            return this;
        }

        /** BATCH: records that close a group commit at once, in [1, 1048576]; default 1000. */
        public Builder writeBatchSize(int records) {
            this.writeBatchSize = records;
            return this;
        }

        /** BATCH: the longest a group is held open, in [0, 1 s]; default 500 µs (0: as SYNC). */
        public Builder walBatchMaxWait(Duration wait) {
            this.walBatchMaxWait = Objects.requireNonNull(wait, "walBatchMaxWait");
            return this;
        }

        /** ASYNC: the sync period, in [100 µs, 60 s]; default 10 ms. */
        public Builder walFlushInterval(Duration interval) {
            this.walFlushInterval = Objects.requireNonNull(interval, "walFlushInterval");
            return this;
        }

        /**
         * The size log segments grow to, a multiple of 4096 in [64 KiB, 2 GiB]; default 64 MiB.
         * A log starts with a 1 MiB segment and doubles each next one up to this size; the largest
         * single write (a batch, a transaction's commit) must fit in one segment of this size.
         */
        public Builder walSegmentSize(long bytes) {
            this.walSegmentSize = bytes;
            return this;
        }

        /** Log bytes that trigger a checkpoint, in [1 MiB, 64 GiB]; default 128 MiB. */
        public Builder maxWalSize(long bytes) {
            this.maxWalSize = bytes;
            return this;
        }

        /**
         * Plain writers admitted at once, in [1, 1024]; default 8. Writers past it queue in
         * arrival order. 1 makes plain writes one at a time.
         */
        public Builder maxConcurrentWriters(int writers) {
            this.maxConcurrentWriters = writers;
            return this;
        }

        /**
         * Background compaction, in [0, 0.9]; default 0.25. After a background checkpoint, when
         * at least this share of the data file's slots (and at least 16 MiB) stayed free since
         * the checkpoint before, the checkpoint thread moves the pages at the file's end into
         * that space and gives the tail back, as {@code Database.compact} does, writers running.
         * Space that copy-on-write writes keep reusing is never free a whole interval, so churn
         * does not trigger it. A database quiet for 5 s (no write) is checkpointed and asked the
         * same, so what a burst of updates left free goes back after it. 0 turns it off.
         */
        /**
         * The warm restart, as InnoDB's buffer pool dump and load; default on. At close (and
         * after a background checkpoint, at most once a minute) the ids of the pages in the cache
         * go to {@code lightning.cachedump}, hottest first; at open a background thread reads them
         * back in that order, in batches at queue depth, into free frames only, so a restarted
         * database is soon as fast as before without {@code open} waiting for it. Progress is in
         * {@code stats().warmRestart()}.
         */
        public Builder warmRestart(boolean on) {
            this.warmRestart = on;
            return this;
        }

        /**
         * Values of at least {@code bytes} bytes, and small enough for one page, are kept out of
         * the leaves and packed end to end into value pages (key-value separation, as WiscKey);
         * the leaf keeps the key and an 8-byte reference. Leaves then stay dense with keys and
         * a random load of 1 KB values no longer leaves each leaf's free third in the file.
         * Default {@value #DEFAULT_VALUE_SEPARATION_THRESHOLD}; 0 keeps every value with its key
         * (values too large for a leaf then go to overflow chains, as values over a page always do).
         * It applies to writes from the open on: values already stored read the same either way.
         */
        public Builder valueSeparationThreshold(int bytes) {
            this.valueSeparationThreshold = bytes;
            return this;
        }

        /**
         * The most leaves a scan reads ahead in one batch, in [0, 4096]; default
         * {@value #DEFAULT_READ_AHEAD_PAGES} (256 KiB of 4 KiB pages, RocksDB's auto-readahead cap).
         * Once a cursor has gone from leaf to leaf twice in a row, a step to a leaf not in memory
         * loads it and the following ones (from their parent, up to the scan's end key) in one
         * batch at queue depth, the batch doubling from 8 at each such step up to this bound;
         * reverse scans likewise. 0 or 1 turns it off: each leaf is then read when reached.
         */
        /**
         * Whether the database has prefetch workers, threads that load pages ahead of scans so
         * the scanning thread rarely waits; default on. Off, scans read ahead synchronously only
         * ({@code readAheadPages}) and {@code Database.setPrefetchDistance} is refused.
         */
        public Builder prefetchEnabled(boolean on) {
            this.prefetchEnabled = on;
            return this;
        }

        /**
         * Leaves a scan keeps requested ahead of it once it reads from the file, in [0, 4096];
         * default {@value #DEFAULT_PREFETCH_DISTANCE}. When fewer than half remain a worker loads
         * the next run (at most {@code readAheadPages} leaves, and the value pages they name)
         * while the scan walks the leaves it has. 0 turns prefetch off. Live with
         * {@code Database.setPrefetchDistance}.
         */
        public Builder prefetchDistance(int leaves) {
            this.prefetchDistance = leaves;
            return this;
        }

        /** Prefetch worker threads, in [1, 64]; default the processors the JVM sees, at most 4. Started on demand. */
        public Builder prefetchWorkers(int threads) {
            this.prefetchWorkers = threads;
            return this;
        }

        public Builder readAheadPages(int pages) {
            this.readAheadPages = pages;
            return this;
        }

        /**
         * Whether {@code Database.parallelScan} reads a range with several threads; default on.
         * Off, the calling thread reads it alone (the same entries, handed over the same way).
         */
        public Builder enableParallelScan(boolean on) {
            this.enableParallelScan = on;
            return this;
        }

        /** Threads a parallel scan reads with, the caller's included, in [1, 256]; default the processors the JVM sees. */
        public Builder scanThreads(int threads) {
            this.scanThreads = threads;
            return this;
        }

        /**
         * About how many entries one part of a parallel scan holds, in [1000, 100000000]; default
         * {@value #DEFAULT_SCAN_BATCH_SIZE}. A range is cut into its key count over this many parts
         * (at least four per thread, at most 4,096), threads taking the next part as they finish one.
         */
        public Builder scanBatchSize(int entries) {
            this.scanBatchSize = entries;
            return this;
        }

        public Builder autoCompactThreshold(double share) {
            this.autoCompactThreshold = share;
            return this;
        }

        public Builder cacheSize(long bytes) {
            this.cacheSize = bytes;
            return this;
        }

        public Builder pageSize(int bytes) {
            this.pageSize = bytes;
            return this;
        }

        public Builder maxKeySize(int bytes) {
            this.maxKeySize = bytes;
            return this;
        }

        public Builder maxDatabaseSize(long bytes) {
            this.maxDatabaseSize = bytes;
            return this;
        }

        public Builder enableSimdSearch(boolean on) {
            this.enableSimdSearch = on;
            return this;
        }

        public Builder ioBackend(IoBackend backend) {
            this.ioBackend = Objects.requireNonNull(backend, "ioBackend");
            return this;
        }

        public Builder useDirectIo(boolean on) {
            this.useDirectIo = on;
            return this;
        }

        public Builder ioUringEnabled(boolean on) {
            this.ioUringEnabled = on;
            return this;
        }

        public Builder ioUringQueueDepth(int depth) {
            this.ioUringQueueDepth = depth;
            return this;
        }

        /** LRU, CLOCK (default) or ARC. */
        public Builder cacheAlgorithm(CacheAlgorithm algorithm) {
            this.cacheAlgorithm = Objects.requireNonNull(algorithm, "cacheAlgorithm");
            return this;
        }

        /**
         * LAZY (default): an evicted page's memory goes back to the OS when the OS needs it, and a
         * miss before that is served from it without a read; IMMEDIATE: at once, so resident memory
         * stays within {@code cacheSize}. See {@link EvictedMemory}.
         */
        public Builder evictedMemory(EvictedMemory mode) {
            this.evictedMemory = Objects.requireNonNull(mode, "evictedMemory");
            return this;
        }

        /** On by default: a page must be touched twice to be protected, so scans cannot flush the hot set. */
        public Builder enableScanResistance(boolean on) {
            this.enableScanResistance = on;
            return this;
        }

        /** Off by default: keep pages accessed {@code hotPageThreshold} times out of eviction. */
        public Builder pinHotPages(boolean on) {
            this.pinHotPages = on;
            return this;
        }

        /** Accesses that make a page hot, in [1, 2^24]; default 1000. */
        public Builder hotPageThreshold(int accesses) {
            this.hotPageThreshold = accesses;
            return this;
        }

        /** The most of the cache pinned pages may hold, in (0, 0.9]; default 0.3. */
        public Builder hotPartitionRatio(double ratio) {
            this.hotPartitionRatio = ratio;
            return this;
        }

        /** Checks every field; the message names the field, its value and the allowed range. */
        public LightningDbConfig build() {
            if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
                throw new IllegalArgumentException("pageSize must be a power of two in [" + MIN_PAGE_SIZE + ", "
                        + MAX_PAGE_SIZE + "], got " + pageSize);
            }
            long minCache = Math.max(MIN_CACHE_SIZE, 64L * pageSize);
            if (cacheSize < minCache) {
                throw new IllegalArgumentException("cacheSize must be at least " + minCache + " bytes (1 MiB, and 64 pages of "
                        + pageSize + " bytes), got " + cacheSize);
            }
            if (maxKeySize < 1 || maxKeySize > pageSize / 4) {
                throw new IllegalArgumentException("maxKeySize must be in [1, " + pageSize / 4
                        + "] (a quarter of pageSize " + pageSize + "), got " + maxKeySize);
            }
            if (maxDatabaseSize < MIN_DATABASE_SIZE || maxDatabaseSize > MAX_DATABASE_SIZE) {
                throw new IllegalArgumentException("maxDatabaseSize must be in [" + MIN_DATABASE_SIZE + ", "
                        + MAX_DATABASE_SIZE + "], got " + maxDatabaseSize);
            }
            if (ioUringQueueDepth < IoConfig.MIN_QUEUE_DEPTH || ioUringQueueDepth > IoConfig.MAX_QUEUE_DEPTH) {
                throw new IllegalArgumentException("ioUringQueueDepth must be in [" + IoConfig.MIN_QUEUE_DEPTH + ", "
                        + IoConfig.MAX_QUEUE_DEPTH + "], got " + ioUringQueueDepth);
            }
            if (ioBackend == IoBackend.URING && !ioUringEnabled) {
                throw new IllegalArgumentException("ioBackend URING contradicts ioUringEnabled=false");
            }
            // CacheConfig checks hotPageThreshold and hotPartitionRatio under the same names.
            CacheConfig cache = new CacheConfig(PolicyKind.valueOf(cacheAlgorithm.name()), enableScanResistance,
                    pinHotPages, hotPageThreshold, hotPartitionRatio).withLazyRelease(evictedMemory == EvictedMemory.LAZY);
            if (maxWalSize < MIN_WAL_SIZE || maxWalSize > MAX_WAL_SIZE) {
                throw new IllegalArgumentException("maxWalSize must be in [" + MIN_WAL_SIZE + ", " + MAX_WAL_SIZE
                        + "], got " + maxWalSize);
            }
            if (maxConcurrentWriters < 1 || maxConcurrentWriters > MAX_CONCURRENT_WRITERS) {
                throw new IllegalArgumentException("maxConcurrentWriters must be in [1, " + MAX_CONCURRENT_WRITERS
                        + "], got " + maxConcurrentWriters);
            }
            if (scanThreads < 1 || scanThreads > MAX_SCAN_THREADS) {
                throw new IllegalArgumentException("scanThreads must be in [1, " + MAX_SCAN_THREADS + "], got " + scanThreads);
            }
            if (scanBatchSize < MIN_SCAN_BATCH_SIZE || scanBatchSize > MAX_SCAN_BATCH_SIZE) {
                throw new IllegalArgumentException("scanBatchSize must be in [" + MIN_SCAN_BATCH_SIZE + ", "
                        + MAX_SCAN_BATCH_SIZE + "], got " + scanBatchSize);
            }
            if (prefetchDistance < 0 || prefetchDistance > MAX_READ_AHEAD_PAGES) {
                throw new IllegalArgumentException("prefetchDistance must be in [0, " + MAX_READ_AHEAD_PAGES
                        + "] (0 turns prefetch off), got " + prefetchDistance);
            }
            if (prefetchWorkers < 1 || prefetchWorkers > MAX_PREFETCH_WORKERS) {
                throw new IllegalArgumentException("prefetchWorkers must be in [1, " + MAX_PREFETCH_WORKERS + "], got "
                        + prefetchWorkers);
            }
            if (readAheadPages < 0 || readAheadPages > MAX_READ_AHEAD_PAGES) {
                throw new IllegalArgumentException("readAheadPages must be in [0, " + MAX_READ_AHEAD_PAGES
                        + "] (0 turns read-ahead off), got " + readAheadPages);
            }
            if (valueSeparationThreshold < 0) {
                throw new IllegalArgumentException("valueSeparationThreshold must be >= 0 (0 keeps values in the leaves), got "
                        + valueSeparationThreshold);
            }
            if (!(autoCompactThreshold >= 0 && autoCompactThreshold <= MAX_AUTO_COMPACT_THRESHOLD)) {
                throw new IllegalArgumentException("autoCompactThreshold must be in [0, " + MAX_AUTO_COMPACT_THRESHOLD
                        + "] (0 turns background compaction off), got " + autoCompactThreshold);
            }
            WalConfig wal;
            try {
                wal = new WalConfig(SyncMode.valueOf(walSyncMode.name()), writeBatchSize,
                        nanos(walBatchMaxWait), nanos(walFlushInterval), walSegmentSize);
            } catch (IllegalArgumentException e) {
                // WalConfig names its fields in nanoseconds; say it with the builder's names.
                throw new IllegalArgumentException(e.getMessage().replace("batchMaxWaitNanos", "walBatchMaxWait (ns)")
                        .replace("flushIntervalNanos", "walFlushInterval (ns)").replace("segmentSize", "walSegmentSize"), e);
            }
            MemorySettings.check(numaNodes, memoryAllocator, threadsPerNumaNode, memoryPoolSize);
            TxnConfig txn = new TxnConfig(maxActiveTransactions, nanos(transactionWaitTimeout), conflictRetryLimit,
                    nanos(conflictRetryDelay), maxVersionMemory, optimisticLocking);
            return new LightningDbConfig(this, cache, wal, txn);
        }

        private static long nanos(Duration d) {
            return d.compareTo(Duration.ofDays(10_000)) > 0 ? Long.MAX_VALUE : d.toNanos();
        }
    }
}
