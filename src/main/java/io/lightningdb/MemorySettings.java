package io.lightningdb;

import io.lightningdb.cache.FramePlacement;
import io.lightningdb.cache.ScratchPages;
import io.lightningdb.engine.BackgroundThreads;
import io.lightningdb.engine.EngineConfig;
import io.lightningdb.nativeio.LibNuma;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The NUMA, thread and memory pool knobs of {@link LightningDbConfig}: their checks, their file
 * form, and what the engine makes of them (the frame placement, the background thread pool).
 */
final class MemorySettings {
    /** How {@code numaNodes} says "every node" in files. */
    static final String ALL_NODES = "all";

    private MemorySettings() {}

    /** Checks the knobs a builder holds; messages name the field and the range. */
    static void check(List<Integer> numaNodes, MemoryAllocator allocator, int threadsPerNumaNode, long memoryPoolSize) {
        for (int n : numaNodes) {
            if (n < 0 || n > MemoryAllocator.MAX_NODE) {
                throw new IllegalArgumentException("numaNodes must name nodes in [0, " + MemoryAllocator.MAX_NODE
                        + "], got " + n);
            }
        }
        if (allocator.kind() == MemoryAllocator.Kind.NUMA_NODE && !numaNodes.isEmpty()
                && !numaNodes.contains(allocator.node())) {
            throw new IllegalArgumentException("memoryAllocator " + allocator + " names a node outside numaNodes "
                    + formatNodes(numaNodes));
        }
        if (threadsPerNumaNode < 1 || threadsPerNumaNode > LightningDbConfig.MAX_THREADS_PER_NUMA_NODE) {
            throw new IllegalArgumentException("threadsPerNumaNode must be in [1, "
                    + LightningDbConfig.MAX_THREADS_PER_NUMA_NODE + "], got " + threadsPerNumaNode);
        }
        if (memoryPoolSize < LightningDbConfig.MIN_MEMORY_POOL_SIZE || memoryPoolSize > LightningDbConfig.MAX_MEMORY_POOL_SIZE) {
            throw new IllegalArgumentException("memoryPoolSize must be in [" + LightningDbConfig.MIN_MEMORY_POOL_SIZE + ", "
                    + LightningDbConfig.MAX_MEMORY_POOL_SIZE + "], got " + memoryPoolSize);
        }
    }

    /** "all", "0", "0,2" or ranges "0-3,6" to a node list (empty: all). */
    static List<Integer> parseNodes(String text) {
        String t = text.trim();
        List<Integer> out = new ArrayList<>();
        if (t.equalsIgnoreCase(ALL_NODES)) {
            return out;
        }
        try {
            for (String part : t.split(",")) {
                String[] bounds = part.trim().split("-", -1);
                int lo = Integer.parseInt(bounds[0].trim());
                int hi = bounds.length == 2 ? Integer.parseInt(bounds[1].trim()) : lo;
                if (bounds.length > 2 || hi < lo || hi > MemoryAllocator.MAX_NODE) {
                    throw new NumberFormatException();
                }
                for (int n = lo; n <= hi; n++) {
                    out.add(n);
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("numaNodes must be \"" + ALL_NODES + "\" or node numbers in [0, "
                    + MemoryAllocator.MAX_NODE + "] like \"0,1\" or \"0-3\", got \"" + text + "\"");
        }
        return out;
    }

    /** The file form of a node list: "all" when empty, else "0,1". */
    static String formatNodes(List<Integer> nodes) {
        return nodes.isEmpty() ? ALL_NODES : nodes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static BitSet bits(List<Integer> nodes) {
        BitSet b = new BitSet();
        nodes.forEach(b::set);
        return b;
    }

    /** Where the buffer pool puts its frames: nothing without {@code enableNumaAwareness}. */
    static FramePlacement placement(LightningDbConfig c) {
        if (!c.enableNumaAwareness()) {
            return FramePlacement.OFF;
        }
        MemoryAllocator a = c.memoryAllocator();
        return switch (a.kind()) {
            case DEFAULT -> new FramePlacement(FramePlacement.Mode.DEFAULT, new BitSet());
            case NUMA_LOCAL -> new FramePlacement(FramePlacement.Mode.LOCAL, bits(c.numaNodes()));
            case NUMA_INTERLEAVE -> new FramePlacement(FramePlacement.Mode.INTERLEAVE, bits(c.numaNodes()));
            case NUMA_NODE -> new FramePlacement(FramePlacement.Mode.NODE, bits(List.of(a.node())));
        };
    }

    /** How much released scratch memory the buffer pool keeps for reuse. */
    static ScratchPages.Config scratch(LightningDbConfig c) {
        return new ScratchPages.Config(c.enableMemoryPools(), c.memoryPoolSize());
    }

    /** The engine's background thread pool: pinned with {@code pinThreads}. */
    static BackgroundThreads threads(LightningDbConfig c, LibNuma numa) {
        return c.pinThreads() ? BackgroundThreads.pinned(bits(c.numaNodes()), c.threadsPerNumaNode(), numa)
                : BackgroundThreads.unpinned();
    }

    /** The engine's view of {@code c}: the layers' own settings, frames placed and scratch pooled as {@code c} says. */
    static EngineConfig engine(LightningDbConfig c) {
        return new EngineConfig(c.pageSize(), c.maxKeySize(), c.maxDatabaseSize(), c.cacheSize(), c.enableSimdSearch(),
                c.maxWalSize(), c.transactions(), c.maxConcurrentWriters(), c.autoCompactThreshold(),
                c.valueSeparationThreshold(), c.warmRestart(), c.readAheadPages(), c.prefetchEnabled(),
                c.prefetchDistance(), c.prefetchWorkers(), c.io(), c.wal(),
                c.cache().withPlacement(placement(c)).withScratch(scratch(c)));
    }
}
