package io.lightningdb.memory;

/**
 * The production guide's memory knobs ({@code enable_memory_pools}, {@code memory_pool_size},
 * {@code enable_numa_awareness}, {@code numa_node}) in camelCase. The guide's {@code pin_threads}
 * arrives with the engine's worker threads; {@link ThreadPinning} is what it will use.
 *
 * <pre>{@code
 * MemoryConfig memory = MemoryConfig.builder()
 *         .enableMemoryPools(true)
 *         .memoryPoolSize(256L << 20)      // keep up to 256 MiB of free page frames
 *         .enableNumaAwareness(true)
 *         .numaNode(MemoryConfig.LOCAL_NODE)
 *         .build();
 * }</pre>
 *
 * @param enableMemoryPools recycle freed page frames through a free list instead of returning them
 *     to the arena each time
 * @param memoryPoolSize the most bytes of free frames one {@link PagePool} keeps; frames released
 *     beyond it go back to the arena
 * @param enableNumaAwareness place off-heap memory on a NUMA node (the allocating thread's, or
 *     {@code numaNode}); ignored, with one log line, when libnuma is missing
 * @param numaNode the node to place memory on, or {@link #LOCAL_NODE} for the node of the thread
 *     that allocates
 */
public record MemoryConfig(
        boolean enableMemoryPools, long memoryPoolSize, boolean enableNumaAwareness, int numaNode) {

    /** {@code numaNode} value meaning "the node of the allocating thread". */
    public static final int LOCAL_NODE = -1;
    /** The highest node number Linux supports (MAX_NUMNODES is at most 1024). */
    public static final int MAX_NUMA_NODE = 1023;
    /** One 4 KiB page frame: a pool that cannot hold one frame would be a disabled pool. */
    public static final long MIN_MEMORY_POOL_SIZE = 4096;
    public static final long MAX_MEMORY_POOL_SIZE = 1L << 40;
    public static final long DEFAULT_MEMORY_POOL_SIZE = 64L << 20;

    public MemoryConfig {
        if (memoryPoolSize < MIN_MEMORY_POOL_SIZE || memoryPoolSize > MAX_MEMORY_POOL_SIZE) {
            throw new IllegalArgumentException("memoryPoolSize must be in [" + MIN_MEMORY_POOL_SIZE + ", "
                    + MAX_MEMORY_POOL_SIZE + "] bytes, got " + memoryPoolSize);
        }
        if (numaNode != LOCAL_NODE && (numaNode < 0 || numaNode > MAX_NUMA_NODE)) {
            throw new IllegalArgumentException("numaNode must be " + LOCAL_NODE + " (local) or in [0, "
                    + MAX_NUMA_NODE + "], got " + numaNode);
        }
    }

    /** Pools on with 64 MiB, NUMA placement on the local node, no thread pinning. */
    public static MemoryConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this config's values. */
    public Builder toBuilder() {
        return new Builder()
                .enableMemoryPools(enableMemoryPools)
                .memoryPoolSize(memoryPoolSize)
                .enableNumaAwareness(enableNumaAwareness)
                .numaNode(numaNode);
    }

    /** Builder for {@link MemoryConfig}; {@link #build()} validates every field. */
    public static final class Builder {
        private boolean enableMemoryPools = true;
        private long memoryPoolSize = DEFAULT_MEMORY_POOL_SIZE;
        private boolean enableNumaAwareness = true;
        private int numaNode = LOCAL_NODE;

        private Builder() {}

        public Builder enableMemoryPools(boolean v) {
            this.enableMemoryPools = v;
            return this;
        }

        public Builder memoryPoolSize(long bytes) {
            this.memoryPoolSize = bytes;
            return this;
        }

        public Builder enableNumaAwareness(boolean v) {
            this.enableNumaAwareness = v;
            return this;
        }

        public Builder numaNode(int node) {
            this.numaNode = node;
            return this;
        }

        public MemoryConfig build() {
            return new MemoryConfig(enableMemoryPools, memoryPoolSize, enableNumaAwareness, numaNode);
        }
    }
}
