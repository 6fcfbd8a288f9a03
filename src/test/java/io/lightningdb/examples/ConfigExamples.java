package io.lightningdb.examples;

import io.lightningdb.CacheAlgorithm;
import io.lightningdb.Capabilities;
import io.lightningdb.ConfigFileException;
import io.lightningdb.Database;
import io.lightningdb.DurabilityStats;
import io.lightningdb.EvictedMemory;
import io.lightningdb.IoBackend;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.MemoryAllocator;
import io.lightningdb.MemoryPoolStats;
import io.lightningdb.Preset;
import io.lightningdb.TransactionStats;
import io.lightningdb.WalSyncMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Examples of configuration, capabilities and stats (see the package). */
final class ConfigExamples {
    private ConfigExamples() {}

    static void builder(Path dir) {
        // @start region="builder"
        LightningDbConfig config = LightningDbConfig.builder()
                .cacheSize(64L << 20)             // 64 MiB of pages in memory
                .cacheAlgorithm(CacheAlgorithm.ARC)
                .pinHotPages(true)                // pages read 1000+ times stay in memory,
                .hotPageThreshold(1000)
                .hotPartitionRatio(0.3)           // up to 30% of the cache
                .pageSize(4096)
                .enableSimdSearch(true)
                .ioBackend(IoBackend.AUTO)
                .walSyncMode(WalSyncMode.BATCH)   // durable writes, concurrent writers share fdatasyncs
                .build();
        try (Database db = Database.open(dir, config)) {
            db.put(new byte[] {1}, new byte[] {2});
        }
        // @end
    }

    static LightningDbConfig cacheAlgorithm() {
        // @start region="cacheAlgorithm"
        LightningDbConfig config = LightningDbConfig.builder()
                .cacheAlgorithm(CacheAlgorithm.ARC)   // mixed recency/frequency workloads
                .build();
        // @end
        return config;
    }

    static LightningDbConfig evictedMemory() {
        // @start region="evictedMemory"
        LightningDbConfig config = LightningDbConfig.builder()
                .cacheSize(512L << 20)
                .evictedMemory(EvictedMemory.IMMEDIATE)   // resident memory stays within cacheSize
                .build();
        // @end
        return config;
    }

    static LightningDbConfig ioBackend() {
        // @start region="ioBackend"
        LightningDbConfig config = LightningDbConfig.builder()
                .ioBackend(IoBackend.POSIX)   // pread/pwrite even where io_uring would work
                .build();
        // @end
        return config;
    }

    static List<LightningDbConfig> syncModes() {
        // @start region="syncModes"
        LightningDbConfig durable = LightningDbConfig.builder().walSyncMode(WalSyncMode.SYNC).build();
        LightningDbConfig grouped = LightningDbConfig.builder().walSyncMode(WalSyncMode.BATCH)
                .writeBatchSize(1000).walBatchMaxWait(Duration.ofNanos(500_000)).build();
        LightningDbConfig fast = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC)
                .walFlushInterval(Duration.ofMillis(10)).build();
        // @end
        return List.of(durable, grouped, fast);
    }

    static LightningDbConfig numa() {
        // @start region="numa"
        LightningDbConfig config = LightningDbConfig.builder()
                .enableNumaAwareness(true)
                .numaNodes(0)
                .memoryAllocator(MemoryAllocator.NUMA_INTERLEAVE)   // or MemoryAllocator.numaNode(0)
                .build();
        // @end
        return config;
    }

    static LightningDbConfig preset() {
        // @start region="preset"
        LightningDbConfig c = Preset.OLTP.builder().cacheSize(256L << 20).build();
        // or in a file: {"preset": "oltp", "cacheSize": "256MiB"}
        // @end
        return c;
    }

    static LightningDbConfig fromFile(Path file) {
        // @start region="fromFile"
        // lightning.json: {"preset": "oltp", "cacheSize": "64MiB", "walFlushInterval": "5ms"}
        LightningDbConfig config = LightningDbConfig.fromFile(file);
        // @end
        return config;
    }

    static void badFile(Path file) {
        // @start region="badFile"
        try {
            LightningDbConfig c = LightningDbConfig.fromFile(file);
        } catch (ConfigFileException e) {
            System.err.println(e.getMessage());   // lightning.json: field "cacheSize": must be at least ...
        }
        // @end
    }

    static void capabilities(Path dir) {
        // @start region="capabilities"
        Capabilities caps = Capabilities.detect(LightningDbConfig.defaults(), dir);
        if (caps.ioBackend() != IoBackend.URING) {
            System.out.println("io_uring not in use: " + caps.ioUring().detail());
        }
        caps.describe().forEach(System.out::println);
        // @end
    }

    static void stats(Database db) {
        // @start region="durability"
        DurabilityStats d = db.stats().durability();
        System.out.printf("%d commits in %d syncs; checkpoints stalled writers %s at most%n",
                d.logRecords(), d.logSyncs(), d.maxCheckpointStall());
        // @end
        // @start region="transactionStats"
        TransactionStats t = db.stats().transactions();
        if (t.oldestSnapshotAge().toSeconds() > 10) {
            System.err.println(t.active() + " open, the oldest for " + t.oldestSnapshotAge());
        }
        // @end
        // @start region="memoryPools"
        MemoryPoolStats m = db.stats().memoryPools();
        System.out.printf("scratch: %d B in use, %d B kept, %d reused of %d%n",
                m.inUseBytes(), m.pooledBytes(), m.reused(), m.reused() + m.mapped());
        // @end
    }
}
