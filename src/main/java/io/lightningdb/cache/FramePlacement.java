package io.lightningdb.cache;

import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.LibNuma;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where the buffer pool's frames go in NUMA memory: one memory policy set with {@code mbind} on the
 * whole frame reservation before any page of it is touched. The policy belongs to the mapping, not
 * to pages, so every page faulted in later (after an eviction's {@code MADV_DONTNEED} too) follows
 * it, and reading the policy back at any frame address ({@code get_mempolicy(MPOL_F_ADDR)}) shows it.
 *
 * {@snippet class=io.lightningdb.cache.CacheExamples region="placement"}
 *
 * @param mode what to apply; {@link Mode#OFF} applies nothing
 * @param nodes the nodes the policy may use; empty means every node of the machine (for
 *     {@link Mode#NODE}, exactly the one node)
 */
public record FramePlacement(Mode mode, BitSet nodes) {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.cache");

    /** The placements, as the configuration's {@code memoryAllocator} names them. */
    public enum Mode {
        /** {@code enableNumaAwareness=false}: no policy set; the frames follow the process's. */
        OFF,
        /** MPOL_DEFAULT: the range follows the thread's policy (set explicitly, so a stale one is cleared). */
        DEFAULT,
        /** MPOL_LOCAL (every node) or MPOL_BIND to the nodes (a subset): the faulting CPU's node, nearest allowed. */
        LOCAL,
        /** MPOL_INTERLEAVE over the nodes: pages dealt round-robin. */
        INTERLEAVE,
        /** MPOL_PREFERRED on the one node: there, others only when it is full. */
        NODE
    }

    /** Nothing applied. */
    public static final FramePlacement OFF = new FramePlacement(Mode.OFF, new BitSet());

    public FramePlacement {
        Objects.requireNonNull(mode, "mode");
        nodes = (BitSet) nodes.clone();
        if (mode == Mode.NODE && nodes.cardinality() != 1) {
            throw new IllegalArgumentException("NUMA_NODE placement needs exactly one node, got " + nodes);
        }
    }

    @Override
    public BitSet nodes() {
        return (BitSet) nodes.clone();
    }

    /**
     * What {@link #apply} did: the policy read back from the kernel at the start of the range
     * ({@code mode} -1 when nothing was applied) and a sentence for {@code Capabilities}.
     */
    public record Applied(boolean applied, int mode, BitSet nodes, String detail) {
        static Applied not(String detail) {
            return new Applied(false, -1, new BitSet(), detail);
        }
    }

    /**
     * Sets the policy on {@code region} (not yet touched) and reads it back. Without libnuma it is
     * a no-op, logged: INFO, since NUMA placement was asked for.
     *
     * @throws IllegalArgumentException when a node is not one of this machine's, naming the node
     *     and the machine's node count
     */
    public Applied apply(MemorySegment region, LibNuma numa) throws IOCallException {
        if (mode == Mode.OFF) {
            return Applied.not("not placed (enableNumaAwareness=false), they follow the process's memory policy");
        }
        if (!numa.isAvailable()) {
            LOG.log(Level.INFO, "NUMA placement {0} not applied: {1}", name(), numa.unavailableReason());
            return Applied.not("not placed, " + name() + " is a no-op: " + numa.unavailableReason());
        }
        BitSet machine = machineNodes(numa);
        check(numa);
        BitSet use = nodes.isEmpty() ? machine : nodes;
        int kernelMode;
        BitSet kernelNodes;
        switch (mode) {
            case DEFAULT -> {
                kernelMode = LibNuma.MPOL_DEFAULT;
                kernelNodes = new BitSet();
            }
            case LOCAL -> {
                boolean all = use.equals(machine);
                kernelMode = all ? LibNuma.MPOL_LOCAL : LibNuma.MPOL_BIND;
                kernelNodes = all ? new BitSet() : use;
            }
            case INTERLEAVE -> {
                kernelMode = LibNuma.MPOL_INTERLEAVE;
                kernelNodes = use;
            }
            default -> {
                kernelMode = LibNuma.MPOL_PREFERRED;
                kernelNodes = use;
            }
        }
        numa.bind(region, kernelMode, kernelNodes);
        LibNuma.Policy back = numa.policyOf(region);
        if (back.mode() != kernelMode || !back.nodes().equals(kernelNodes)) {
            throw new IllegalStateException("mbind set mode " + kernelMode + " nodes " + kernelNodes
                    + " on the frame reservation but get_mempolicy reads back mode " + back.mode() + " nodes " + back.nodes());
        }
        String detail = name() + " on node(s) " + list(use) + " of " + numa.nodeCount() + ": mbind("
                + modeName(kernelMode) + (kernelNodes.isEmpty() ? "" : ", " + list(kernelNodes))
                + ") on the frame reservation, read back";
        LOG.log(Level.DEBUG, "buffer pool frames: {0}", detail);
        return new Applied(true, back.mode(), back.nodes(), detail);
    }

    /**
     * Refuses nodes this machine does not have, naming the first and the machine's node count; a
     * no-op when nothing is placed or libnuma is absent (then nothing can be checked, or applied).
     */
    public void check(LibNuma numa) {
        if (mode == Mode.OFF || !numa.isAvailable()) {
            return;
        }
        BitSet missing = nodes();
        BitSet machine = machineNodes(numa);
        missing.andNot(machine);
        if (!missing.isEmpty()) {
            int count = numa.nodeCount();
            String field = mode == Mode.NODE ? "memoryAllocator " + name() : "numaNodes";
            throw new IllegalArgumentException(field + " names node " + missing.nextSetBit(0) + ", but this machine has "
                    + count + " NUMA node" + (count == 1 ? "" : "s") + " (" + list(machine) + ")");
        }
    }

    /** The nodes 0..maxNode that have memory or CPUs, as libnuma counts them (node numbers may have gaps). */
    static BitSet machineNodes(LibNuma numa) {
        BitSet b = new BitSet();
        b.set(0, numa.maxNode() + 1);
        return b;
    }

    /** How the configuration names this placement. */
    private String name() {
        return switch (mode) {
            case OFF -> "OFF";
            case DEFAULT -> "DEFAULT";
            case LOCAL -> "NUMA_LOCAL";
            case INTERLEAVE -> "NUMA_INTERLEAVE";
            case NODE -> "NUMA_NODE(" + nodes.nextSetBit(0) + ")";
        };
    }

    private static String modeName(int mode) {
        return switch (mode) {
            case LibNuma.MPOL_DEFAULT -> "MPOL_DEFAULT";
            case LibNuma.MPOL_PREFERRED -> "MPOL_PREFERRED";
            case LibNuma.MPOL_BIND -> "MPOL_BIND";
            case LibNuma.MPOL_INTERLEAVE -> "MPOL_INTERLEAVE";
            default -> "MPOL_LOCAL";
        };
    }

    /** "0", "0,1": nodes as messages write them. */
    public static String list(BitSet nodes) {
        return nodes.stream().mapToObj(Integer::toString).collect(Collectors.joining(","));
    }
}
