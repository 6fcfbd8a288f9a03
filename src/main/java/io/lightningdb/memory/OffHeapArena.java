package io.lightningdb.memory;

import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.LibNuma;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Page-aligned off-heap memory for the engine, counted byte for byte in a
 * {@link MemoryAccounting}. Small requests are carved from mmap'ed slabs (2 MiB by default), large
 * ones get a mapping of their own; with NUMA placement on, each mapping is bound to the node of
 * the allocating thread (or {@link MemoryConfig#numaNode()}) before its first touch.
 *
 * <pre>{@code
 * try (OffHeapArena arena = OffHeapArena.builder().config(MemoryConfig.defaults()).build()) {
 *     MemorySegment page = arena.allocate(4096);   // address % 4096 == 0, fit for O_DIRECT
 *     page.set(ValueLayout.JAVA_LONG, 0, 42L);
 *     arena.free(page);
 * }   // close() unmaps every slab, freed or not
 * }</pre>
 *
 * <p>Every segment handed out belongs to one shared {@link Arena} scope, closed once by
 * {@link #close()}: touching a segment after close throws IllegalStateException instead of
 * crashing the JVM, and closing costs one thread handshake, not one per allocation. {@link #free}
 * cannot invalidate a single segment that cheaply, so using a segment after freeing it is a bug
 * this class does not detect.
 *
 * <p>Thread-safe. {@link #allocate} and {@link #free} take a lock (and the slow path a syscall):
 * hot page frames should come from a {@link PagePool}, which recycles them without the arena.
 * A segment's contents are unspecified when it is handed out (zero only if fresh from the OS).
 */
public final class OffHeapArena implements AutoCloseable {
    /** Alignment of every segment and granule of every size: O_DIRECT needs 4096-aligned buffers. */
    public static final long ALIGNMENT = 4096;
    public static final long DEFAULT_SLAB_SIZE = 2L << 20;
    public static final long MIN_SLAB_SIZE = 16 * ALIGNMENT;
    public static final long MAX_SLAB_SIZE = 1L << 30;
    /** Requests above slabSize / this get their own mapping, so one cannot strand most of a slab. */
    private static final int DEDICATED_DIVISOR = 4;

    private static final System.Logger LOG = System.getLogger("io.lightningdb.memory");
    /** The plain-mmap fallback is said once per process, not once per arena. */
    private static final AtomicBoolean PLAIN_LOGGED = new AtomicBoolean();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final String name;
    private final MemoryAccounting accounting;
    private final MappingSource source;
    /** Null when memory is not placed on NUMA nodes. */
    private final LibNuma numa;
    private final int configuredNode;
    private final long slabSize;
    private final String placement;
    private final Arena scope = Arena.ofShared();
    private final ReentrantLock lock = new ReentrantLock();
    /** Slabs per NUMA node (index = node); a single heap when placement is off. */
    private final Heap[] heaps;
    /** Live allocations by address: frees are validated against it, close() unmaps what is left. */
    private final HashMap<Long, Allocation> live = new HashMap<>();
    private final List<PagePool> pools = new ArrayList<>();
    private volatile boolean closed;
    private boolean bindFailureLogged;

    private record Allocation(long address, long requested, long size, MemorySegment mapping, Slab slab, int firstPage) {}

    private OffHeapArena(Builder b) {
        this.name = b.name != null ? b.name : "arena-" + NEXT_ID.incrementAndGet();
        this.accounting = b.accounting != null ? b.accounting : new MemoryAccounting();
        this.source = b.source != null ? b.source : MappingSource.best();
        this.slabSize = b.slabSize;
        this.configuredNode = b.config.numaNode();
        LibNuma lib = b.numa != null ? b.numa : LibNuma.system();
        String plainReason = plainReason(b.config, lib, source);
        if (plainReason == null) {
            int maxNode = lib.maxNode();
            if (configuredNode > maxNode) {
                throw new IllegalArgumentException("numaNode " + configuredNode + " does not exist: this machine has nodes 0.."
                        + maxNode);
            }
            this.numa = lib;
            this.heaps = new Heap[maxNode + 1];
            this.placement = configuredNode == MemoryConfig.LOCAL_NODE ? "NUMA: node of the allocating thread"
                    : "NUMA: node " + configuredNode;
            LOG.log(Level.DEBUG, "{0}: {1}, {2} node(s), slabs of {3} bytes via {4}",
                    name, placement, lib.nodeCount(), slabSize, source);
        } else {
            this.numa = null;
            this.heaps = new Heap[1];
            this.placement = "plain " + source + " (" + plainReason + ")";
            if (b.config.enableNumaAwareness() && PLAIN_LOGGED.compareAndSet(false, true)) {
                LOG.log(Level.INFO, "NUMA placement off: {0}; off-heap memory comes from plain {1}", plainReason, source);
            }
        }
        for (int i = 0; i < heaps.length; i++) {
            heaps[i] = new Heap(numa == null ? -1 : i);
        }
    }

    private static String plainReason(MemoryConfig config, LibNuma lib, MappingSource source) {
        if (!config.enableNumaAwareness()) {
            return "enableNumaAwareness is false";
        }
        if (!source.supportsNumaPlacement()) {
            return "mappings come from " + source + ", which cannot be placed";
        }
        if (!lib.isAvailable()) {
            return lib.unavailableReason();
        }
        // One node and local placement: binding would change nothing. An explicit node is still honoured.
        if (lib.nodeCount() == 1 && config.numaNode() == MemoryConfig.LOCAL_NODE) {
            return "one NUMA node";
        }
        return null;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Hands out {@code byteSize} bytes at a 4096-aligned address. The memory held (and counted) is
     * {@code byteSize} rounded up to 4096; the segment is exactly {@code byteSize} long.
     *
     * @throws OutOfMemoryError when the operating system refuses a new mapping
     */
    public MemorySegment allocate(long byteSize) {
        if (byteSize <= 0 || byteSize > Long.MAX_VALUE - ALIGNMENT) {
            throw new IllegalArgumentException("byteSize must be in [1, " + (Long.MAX_VALUE - ALIGNMENT) + "], got " + byteSize);
        }
        long size = alignUp(byteSize);
        int node = targetNode();
        lock.lock();
        try {
            ensureOpen();
            Allocation a;
            if (size > slabSize / DEDICATED_DIVISOR) {
                MemorySegment mapping = map(size, node);
                a = new Allocation(mapping.address(), byteSize, size, mapping, null, 0);
            } else {
                a = heaps[Math.max(node, 0)].allocate(byteSize, size);
            }
            live.put(a.address(), a);
            accounting.onAllocate(size);
            return MemorySegment.ofAddress(a.address()).reinterpret(byteSize, scope, null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives a segment returned by {@link #allocate} back. Its pages are reused by later allocations
     * (a large allocation is unmapped at once); the segment must not be touched again.
     *
     * @throws IllegalArgumentException if the segment was not allocated here or was already freed
     */
    public void free(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        lock.lock();
        try {
            ensureOpen();
            Allocation a = live.get(segment.address());
            if (a == null) {
                throw new IllegalArgumentException("free(0x" + Long.toHexString(segment.address()) + "): not allocated by "
                        + name + ", or already freed");
            }
            if (a.requested() != segment.byteSize()) {
                throw new IllegalArgumentException("free(0x" + Long.toHexString(segment.address()) + "): segment is "
                        + segment.byteSize() + " bytes but " + a.requested() + " were allocated there; pass the segment allocate returned");
            }
            live.remove(a.address());
            accounting.onFree(a.size());
            if (a.slab() == null) {
                unmap(a.mapping());
            } else {
                heaps[Math.max(a.slab().node, 0)].release(a.slab(), a.firstPage(), (int) (a.size() / ALIGNMENT));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Unmaps slabs with nothing allocated in them (one spare per node is otherwise kept); returns the bytes unmapped. */
    public long trim() {
        lock.lock();
        try {
            ensureOpen();
            long released = 0;
            for (Heap heap : heaps) {
                released += heap.trim();
            }
            return released;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Invalidates every segment handed out and unmaps all memory, freed or not; pools created on
     * this arena are emptied. Idempotent.
     *
     * @throws IllegalStateException if a native call on another thread is using one of the
     *     segments right now; nothing is freed then and close may be retried
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            scope.close();
            closed = true;
            for (PagePool pool : pools) {
                pool.arenaClosed();
            }
            pools.clear();
            long leftBytes = 0;
            for (Allocation a : live.values()) {
                accounting.onFree(a.size());
                leftBytes += a.size();
                if (a.slab() == null) {
                    unmap(a.mapping());
                }
            }
            if (!live.isEmpty()) {
                LOG.log(Level.DEBUG, "{0} closed with {1} allocation(s), {2} bytes, not freed", name, live.size(), leftBytes);
            }
            live.clear();
            for (Heap heap : heaps) {
                heap.unmapAll();
            }
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public String name() {
        return name;
    }

    /** The counters this arena reports to (shared with other arenas of the same engine). */
    public MemoryAccounting accounting() {
        return accounting;
    }

    public long slabSize() {
        return slabSize;
    }

    /** Whether mappings are bound to NUMA nodes. */
    public boolean numaPlacement() {
        return numa != null;
    }

    /** How memory is placed, e.g. {@code "NUMA: node 0"} or {@code "plain mmap (one NUMA node)"}. */
    public String placement() {
        return placement;
    }

    @Override
    public String toString() {
        return "OffHeapArena[" + name + ", " + placement + (closed ? ", closed" : "") + "]";
    }

    void register(PagePool pool) {
        lock.lock();
        try {
            ensureOpen();
            pools.add(pool);
        } finally {
            lock.unlock();
        }
    }

    /** Tests: the next arena that falls back to plain memory logs it again. */
    static void forgetPlainPlacementLoggedForTest() {
        PLAIN_LOGGED.set(false);
    }

    void unregister(PagePool pool) {
        lock.lock();
        try {
            pools.remove(pool);
        } finally {
            lock.unlock();
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("OffHeapArena " + name + " is closed");
        }
    }

    static long alignUp(long bytes) {
        return (bytes + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /** The node to place new memory on, or -1 for no placement. */
    private int targetNode() {
        if (numa == null) {
            return -1;
        }
        if (configuredNode != MemoryConfig.LOCAL_NODE) {
            return configuredNode;
        }
        // A CPU the kernel cannot name (-1) is rare; node 0 is as good a guess as any.
        return Math.max(numa.currentNode(), 0);
    }

    private MemorySegment map(long size, int node) {
        MemorySegment mapping = source.map(size);
        if (node >= 0) {
            try {
                numa.bindPreferred(mapping, node);
            } catch (IOCallException e) {
                // Placement is an optimisation: unplaced memory still works, so warn once and go on.
                if (!bindFailureLogged) {
                    bindFailureLogged = true;
                    LOG.log(Level.WARNING, "{0}: cannot place memory on NUMA node {1}, using it unplaced: {2}",
                            name, node, e.getMessage());
                }
            }
        }
        accounting.onMap(size);
        return mapping;
    }

    private void unmap(MemorySegment mapping) {
        source.unmap(mapping);
        accounting.onUnmap(mapping.byteSize());
    }

    /** The slabs of one node (or of the whole arena when placement is off). Guarded by the arena lock. */
    private final class Heap {
        private final int node;
        private final List<Slab> slabs = new ArrayList<>();
        /** Where the last allocation succeeded: tried first, so a run of allocations fills one slab. */
        private Slab current;
        private int emptySlabs;

        Heap(int node) {
            this.node = node;
        }

        Allocation allocate(long requested, long size) {
            int n = (int) (size / ALIGNMENT);
            Slab slab = current;
            int first = slab == null ? -1 : slab.findRun(n);
            for (int i = 0; first < 0 && i < slabs.size(); i++) {
                slab = slabs.get(i);
                first = slab.findRun(n);
            }
            if (first < 0) {
                slab = new Slab(map(slabSize, node), node);
                slabs.add(slab);
                emptySlabs++;
                first = 0;
            }
            if (slab.isEmpty()) {
                emptySlabs--;
            }
            slab.take(first, n);
            current = slab;
            return new Allocation(slab.mapping.address() + first * ALIGNMENT, requested, size, null, slab, first);
        }

        void release(Slab slab, int first, int n) {
            slab.release(first, n);
            if (slab.isEmpty()) {
                // Keep one empty slab as a spare so alternating allocate/free does not mmap/munmap each time.
                if (emptySlabs >= 1) {
                    drop(slab);
                } else {
                    emptySlabs++;
                }
            }
        }

        long trim() {
            long released = 0;
            for (Slab slab : List.copyOf(slabs)) {
                if (slab.isEmpty()) {
                    released += slab.mapping.byteSize();
                    emptySlabs--;
                    drop(slab);
                }
            }
            return released;
        }

        private void drop(Slab slab) {
            slabs.remove(slab);
            if (current == slab) {
                current = null;
            }
            unmap(slab.mapping);
        }

        void unmapAll() {
            for (Slab slab : slabs) {
                unmap(slab.mapping);
            }
            slabs.clear();
            current = null;
            emptySlabs = 0;
        }
    }

    /** Builder for {@link OffHeapArena}. */
    public static final class Builder {
        private MemoryConfig config = MemoryConfig.defaults();
        private MemoryAccounting accounting;
        private LibNuma numa;
        private MappingSource source;
        private long slabSize = DEFAULT_SLAB_SIZE;
        private String name;

        private Builder() {}

        /** Memory knobs; only the NUMA ones matter to the arena. */
        public Builder config(MemoryConfig v) {
            this.config = Objects.requireNonNull(v, "config");
            return this;
        }

        /** The engine's counters; a fresh MemoryAccounting when not set. */
        public Builder accounting(MemoryAccounting v) {
            this.accounting = Objects.requireNonNull(v, "accounting");
            return this;
        }

        /** The libnuma to place memory with; {@link LibNuma#system()} when not set. */
        public Builder numa(LibNuma v) {
            this.numa = Objects.requireNonNull(v, "numa");
            return this;
        }

        /** Size of the mappings small allocations are carved from; a multiple of 4096. */
        public Builder slabSize(long bytes) {
            if (bytes < MIN_SLAB_SIZE || bytes > MAX_SLAB_SIZE || bytes % ALIGNMENT != 0) {
                throw new IllegalArgumentException("slabSize must be a multiple of " + ALIGNMENT + " in [" + MIN_SLAB_SIZE
                        + ", " + MAX_SLAB_SIZE + "], got " + bytes);
            }
            this.slabSize = bytes;
            return this;
        }

        /** A name for logs and error messages. */
        public Builder name(String v) {
            this.name = Objects.requireNonNull(v, "name");
            return this;
        }

        /** Tests: use Java arenas instead of mmap, as on a platform without libc bindings. */
        Builder source(MappingSource v) {
            this.source = v;
            return this;
        }

        public OffHeapArena build() {
            return new OffHeapArena(this);
        }
    }
}
