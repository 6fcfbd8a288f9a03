package io.lightningdb;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every field of a configuration file: its JSON name (the builder's method), its kind, how to read
 * it from a {@link LightningDbConfig} and set it on a builder. The one list both the reader and the
 * writer use, and that docs/configuration.md documents field by field.
 */
final class ConfigField {
    /** How a field is written in JSON. */
    enum Kind {
        /** A JSON integer, or a string with a unit: "64KiB", "256MiB", "1GiB", "2TiB". */
        BYTES,
        /** A JSON integer. */
        INT,
        /** A JSON number. */
        DOUBLE,
        /** true or false. */
        BOOLEAN,
        /** A string: "500us", "10ms", "1s", "2m", or ISO-8601 ("PT0.01S"). */
        DURATION,
        /** A string, one of the enum's names (case-insensitive). */
        ENUM,
        /** A string in a form the field parses itself (its {@code parse}); written as the value's toString. */
        TEXT
    }

    final String name;
    final Kind kind;
    /** For ENUM: the enum's class. */
    final Class<? extends Enum<?>> enumType;
    final Function<LightningDbConfig, Object> get;
    final BiConsumer<LightningDbConfig.Builder, Object> set;
    /** For TEXT: the string to the value {@code set} takes; throws IllegalArgumentException saying the form. */
    final Function<String, Object> parse;

    private ConfigField(String name, Kind kind, Class<? extends Enum<?>> enumType, Function<LightningDbConfig, Object> get,
            BiConsumer<LightningDbConfig.Builder, Object> set) {
        this(name, kind, enumType, get, set, null);
    }

    private ConfigField(String name, Kind kind, Class<? extends Enum<?>> enumType, Function<LightningDbConfig, Object> get,
            BiConsumer<LightningDbConfig.Builder, Object> set, Function<String, Object> parse) {
        this.name = name;
        this.kind = kind;
        this.enumType = enumType;
        this.get = get;
        this.set = set;
        this.parse = parse;
    }

    @SuppressWarnings("unchecked")
    private static <T> ConfigField text(String n, Function<String, T> parse, Function<LightningDbConfig, Object> g,
            BiConsumer<LightningDbConfig.Builder, T> s) {
        return new ConfigField(n, Kind.TEXT, null, g, (b, v) -> s.accept(b, (T) v), parse::apply);
    }

    private static ConfigField bytes(String n, Function<LightningDbConfig, Object> g, BiConsumer<LightningDbConfig.Builder, Long> s) {
        return new ConfigField(n, Kind.BYTES, null, g, (b, v) -> s.accept(b, (Long) v));
    }

    private static ConfigField integer(String n, Function<LightningDbConfig, Object> g, BiConsumer<LightningDbConfig.Builder, Integer> s) {
        return new ConfigField(n, Kind.INT, null, g, (b, v) -> s.accept(b, (Integer) v));
    }

    private static ConfigField bool(String n, Function<LightningDbConfig, Object> g, BiConsumer<LightningDbConfig.Builder, Boolean> s) {
        return new ConfigField(n, Kind.BOOLEAN, null, g, (b, v) -> s.accept(b, (Boolean) v));
    }

    private static ConfigField duration(String n, Function<LightningDbConfig, Object> g, BiConsumer<LightningDbConfig.Builder, Duration> s) {
        return new ConfigField(n, Kind.DURATION, null, g, (b, v) -> s.accept(b, (Duration) v));
    }

    @SuppressWarnings("unchecked")
    private static <E extends Enum<E>> ConfigField enumeration(String n, Class<E> type, Function<LightningDbConfig, Object> g,
            BiConsumer<LightningDbConfig.Builder, E> s) {
        return new ConfigField(n, Kind.ENUM, type, g, (b, v) -> s.accept(b, (E) v));
    }

    /** The allowed names of an ENUM field, as written in files. */
    List<String> enumNames() {
        return Arrays.stream(enumType.getEnumConstants()).map(Enum::name).toList();
    }

    static final List<ConfigField> ALL = List.of(
            bytes("cacheSize", LightningDbConfig::cacheSize, LightningDbConfig.Builder::cacheSize),
            integer("pageSize", LightningDbConfig::pageSize, LightningDbConfig.Builder::pageSize),
            integer("maxKeySize", LightningDbConfig::maxKeySize, LightningDbConfig.Builder::maxKeySize),
            bytes("maxDatabaseSize", LightningDbConfig::maxDatabaseSize, LightningDbConfig.Builder::maxDatabaseSize),
            bool("enableSimdSearch", LightningDbConfig::enableSimdSearch, LightningDbConfig.Builder::enableSimdSearch),
            enumeration("cacheAlgorithm", CacheAlgorithm.class, LightningDbConfig::cacheAlgorithm,
                    LightningDbConfig.Builder::cacheAlgorithm),
            enumeration("evictedMemory", EvictedMemory.class, LightningDbConfig::evictedMemory,
                    LightningDbConfig.Builder::evictedMemory),
            bool("enableScanResistance", LightningDbConfig::enableScanResistance,
                    LightningDbConfig.Builder::enableScanResistance),
            bool("pinHotPages", LightningDbConfig::pinHotPages, LightningDbConfig.Builder::pinHotPages),
            integer("hotPageThreshold", LightningDbConfig::hotPageThreshold, LightningDbConfig.Builder::hotPageThreshold),
            new ConfigField("hotPartitionRatio", Kind.DOUBLE, null, LightningDbConfig::hotPartitionRatio,
                    (b, v) -> b.hotPartitionRatio((Double) v)),
            enumeration("ioBackend", IoBackend.class, LightningDbConfig::ioBackend, LightningDbConfig.Builder::ioBackend),
            bool("useDirectIo", LightningDbConfig::useDirectIo, LightningDbConfig.Builder::useDirectIo),
            bool("ioUringEnabled", LightningDbConfig::ioUringEnabled, LightningDbConfig.Builder::ioUringEnabled),
            integer("ioUringQueueDepth", LightningDbConfig::ioUringQueueDepth, LightningDbConfig.Builder::ioUringQueueDepth),
            enumeration("walSyncMode", WalSyncMode.class, LightningDbConfig::walSyncMode,
                    LightningDbConfig.Builder::walSyncMode),
            integer("writeBatchSize", LightningDbConfig::writeBatchSize, LightningDbConfig.Builder::writeBatchSize),
            duration("walBatchMaxWait", LightningDbConfig::walBatchMaxWait, LightningDbConfig.Builder::walBatchMaxWait),
            duration("walFlushInterval", LightningDbConfig::walFlushInterval, LightningDbConfig.Builder::walFlushInterval),
            bytes("walSegmentSize", LightningDbConfig::walSegmentSize, LightningDbConfig.Builder::walSegmentSize),
            bytes("maxWalSize", LightningDbConfig::maxWalSize, LightningDbConfig.Builder::maxWalSize),
            integer("maxConcurrentWriters", LightningDbConfig::maxConcurrentWriters,
                    LightningDbConfig.Builder::maxConcurrentWriters),
            bool("warmRestart", LightningDbConfig::warmRestart, LightningDbConfig.Builder::warmRestart),
            integer("readAheadPages", LightningDbConfig::readAheadPages, LightningDbConfig.Builder::readAheadPages),
            bool("prefetchEnabled", LightningDbConfig::prefetchEnabled, LightningDbConfig.Builder::prefetchEnabled),
            integer("prefetchDistance", LightningDbConfig::prefetchDistance, LightningDbConfig.Builder::prefetchDistance),
            integer("prefetchWorkers", LightningDbConfig::prefetchWorkers, LightningDbConfig.Builder::prefetchWorkers),
            bool("enableParallelScan", LightningDbConfig::enableParallelScan, LightningDbConfig.Builder::enableParallelScan),
            integer("scanThreads", LightningDbConfig::scanThreads, LightningDbConfig.Builder::scanThreads),
            integer("scanBatchSize", LightningDbConfig::scanBatchSize, LightningDbConfig.Builder::scanBatchSize),
            integer("valueSeparationThreshold", LightningDbConfig::valueSeparationThreshold,
                    LightningDbConfig.Builder::valueSeparationThreshold),
            new ConfigField("autoCompactThreshold", Kind.DOUBLE, null, LightningDbConfig::autoCompactThreshold,
                    (b, v) -> b.autoCompactThreshold((Double) v)),
            integer("maxActiveTransactions", LightningDbConfig::maxActiveTransactions,
                    LightningDbConfig.Builder::maxActiveTransactions),
            duration("transactionWaitTimeout", LightningDbConfig::transactionWaitTimeout,
                    LightningDbConfig.Builder::transactionWaitTimeout),
            integer("conflictRetryLimit", LightningDbConfig::conflictRetryLimit,
                    LightningDbConfig.Builder::conflictRetryLimit),
            duration("conflictRetryDelay", LightningDbConfig::conflictRetryDelay,
                    LightningDbConfig.Builder::conflictRetryDelay),
            bytes("maxVersionMemory", LightningDbConfig::maxVersionMemory, LightningDbConfig.Builder::maxVersionMemory),
            bool("optimisticLocking", LightningDbConfig::optimisticLocking, LightningDbConfig.Builder::optimisticLocking),
            bool("enableNumaAwareness", LightningDbConfig::enableNumaAwareness, LightningDbConfig.Builder::enableNumaAwareness),
            text("numaNodes", MemorySettings::parseNodes, c -> MemorySettings.formatNodes(c.numaNodes()),
                    LightningDbConfig.Builder::numaNodes),
            text("memoryAllocator", MemoryAllocator::parse, LightningDbConfig::memoryAllocator,
                    LightningDbConfig.Builder::memoryAllocator),
            bool("pinThreads", LightningDbConfig::pinThreads, LightningDbConfig.Builder::pinThreads),
            integer("threadsPerNumaNode", LightningDbConfig::threadsPerNumaNode,
                    LightningDbConfig.Builder::threadsPerNumaNode),
            bool("enableMemoryPools", LightningDbConfig::enableMemoryPools, LightningDbConfig.Builder::enableMemoryPools),
            bytes("memoryPoolSize", LightningDbConfig::memoryPoolSize, LightningDbConfig.Builder::memoryPoolSize));

    static ConfigField named(String name) {
        for (ConfigField f : ALL) {
            if (f.name.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
