package io.lightningdb.nativeio;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.BitSet;

/**
 * libnuma through FFM: how many NUMA nodes the machine has, which node a CPU belongs to, setting
 * a mapped range's memory policy and reading it back. One instance per loaded library: {@link #system()} is the
 * process-wide one, {@link #load(String)} loads another soname (tests use a missing one to see
 * how the engine behaves without libnuma).
 *
 * {@snippet class=io.lightningdb.nativeio.NativeExamples region="numa"}
 *
 * <p>Placement uses {@code mbind} rather than {@code numa_tonode_memory} or
 * {@code numa_alloc_onnode}: those do the same mbind underneath but report failures by printing to
 * stderr, while mbind returns an errno this class can throw.
 */
public final class LibNuma {
    /** The runtime soname of libnuma (Debian/Ubuntu package libnuma1). */
    public static final String SONAME = "libnuma.so.1";
    /** Library name for {@code -Dlightning.native.disable=libnuma}. */
    public static final String PROPERTY_NAME = "libnuma";

    /** The kernel's largest MAX_NUMNODES; mbind's node mask is sized for it. */
    public static final int MAX_NODES = 1024;
    private static final long NODE_MASK_BYTES = MAX_NODES / 8;
    /** mbind/get_mempolicy read maxnode - 1 bits (a kernel quirk libnuma also works around). */
    private static final long MAXNODE_ARG = MAX_NODES + 1L;
    /** The thread's (process's) policy applies: what a range without a policy of its own follows. */
    public static final int MPOL_DEFAULT = 0;
    /** Prefer the given node, fall back to others when it is full (a strict bind would OOM instead). */
    public static final int MPOL_PREFERRED = 1;
    /** Only the given nodes, nearest to the faulting CPU first; no fallback outside them. */
    public static final int MPOL_BIND = 2;
    /** Round-robin over the given nodes, page by page of the range. */
    public static final int MPOL_INTERLEAVE = 3;
    /** The node of the CPU that first touches each page (kernel 3.8+). */
    public static final int MPOL_LOCAL = 4;
    private static final int MPOL_F_NODE = 1;
    private static final int MPOL_F_ADDR = 2;
    /** Mode flags get_mempolicy may report above the mode (MPOL_F_STATIC_NODES and friends). */
    private static final int MPOL_MODE_FLAGS = (1 << 15) | (1 << 14) | (1 << 13);
    private static final String INSTALL_HINT = "install it with: apt-get install libnuma1";

    private static final class SystemHolder {
        static final LibNuma INSTANCE = NativeAccess.disabledByProperty(PROPERTY_NAME)
                ? new LibNuma(SONAME, "disabled by -Dlightning.native.disable=" + PROPERTY_NAME, null)
                : load(SONAME);
    }

    private final String soname;
    private final String unavailableReason;
    private final Handles h;
    /** numa_node_of_cpu for every configured CPU, read once: the topology does not change under us. */
    private final int[] nodeOfCpu;

    /**
     * Instance fields rather than static finals, so the JIT cannot fold these handles; fine here:
     * libnuma is called per slab and at start-up, never per page.
     */
    private record Handles(MethodHandle available, MethodHandle maxNode, MethodHandle configuredNodes,
            MethodHandle configuredCpus, MethodHandle nodeOfCpu, MethodHandle mbind, MethodHandle getMempolicy) {}

    private LibNuma(String soname, String unavailableReason, Handles handles) {
        this.soname = soname;
        this.unavailableReason = unavailableReason;
        this.h = handles;
        this.nodeOfCpu = handles == null ? new int[0] : readCpuTable(handles);
    }

    /** The process-wide libnuma ({@value #SONAME}), unless hidden by {@code -Dlightning.native.disable=libnuma}. */
    public static LibNuma system() {
        return SystemHolder.INSTANCE;
    }

    /**
     * Loads libnuma under the given soname. Never throws for a missing or unusable library: the
     * result reports {@link #isAvailable()} false with a reason.
     */
    public static LibNuma load(String soname) {
        if (!NativeAccess.IS_LINUX) {
            return new LibNuma(soname, "not Linux (os.name=" + System.getProperty("os.name") + ")", null);
        }
        if (!Libc.isAvailable()) {
            return new LibNuma(soname, "libc bindings unavailable: " + Libc.unavailableReason(), null);
        }
        SymbolLookup lib = NativeAccess.loadLibrary(soname);
        if (lib == null) {
            return new LibNuma(soname, soname + " not found; " + INSTALL_HINT, null);
        }
        Handles handles;
        try {
            handles = new Handles(
                    NativeAccess.downcall(lib, "numa_available", FunctionDescriptor.of(JAVA_INT)),
                    NativeAccess.downcall(lib, "numa_max_node", FunctionDescriptor.of(JAVA_INT)),
                    NativeAccess.downcall(lib, "numa_num_configured_nodes", FunctionDescriptor.of(JAVA_INT)),
                    NativeAccess.downcall(lib, "numa_num_configured_cpus", FunctionDescriptor.of(JAVA_INT)),
                    NativeAccess.downcall(lib, "numa_node_of_cpu", FunctionDescriptor.of(JAVA_INT, JAVA_INT)),
                    NativeAccess.downcallErrno(lib, "mbind",
                            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT)),
                    NativeAccess.downcallErrno(lib, "get_mempolicy",
                            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG)));
        } catch (RuntimeException | LinkageError e) {
            return new LibNuma(soname, soname + " is too old or incomplete (" + e.getMessage() + "); " + INSTALL_HINT, null);
        }
        try {
            // numa_available() must come first: libnuma leaves every other call undefined when it fails.
            if ((int) handles.available().invokeExact() < 0) {
                return new LibNuma(soname, "numa_available() returned -1: the kernel has no NUMA support "
                        + "or get_mempolicy is not permitted (container seccomp profile)", null);
            }
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
        return new LibNuma(soname, null, handles);
    }

    private static int[] readCpuTable(Handles h) {
        try {
            int cpus = (int) h.configuredCpus().invokeExact();
            int[] table = new int[Math.max(cpus, 0)];
            for (int cpu = 0; cpu < table.length; cpu++) {
                table[cpu] = (int) h.nodeOfCpu().invokeExact(cpu);
            }
            return table;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** The soname this instance was loaded from. */
    public String soname() {
        return soname;
    }

    /** Whether libnuma loaded and {@code numa_available()} said the kernel supports NUMA. */
    public boolean isAvailable() {
        return unavailableReason == null;
    }

    /** Why libnuma cannot be used (naming the package to install when it is missing), or null. */
    public String unavailableReason() {
        return unavailableReason;
    }

    private void requireAvailable() {
        if (unavailableReason != null) {
            throw new IllegalStateException("libnuma is unavailable: " + unavailableReason);
        }
    }

    /** Nodes with memory or CPUs ({@code numa_num_configured_nodes}); 1 on a machine without NUMA. */
    public int nodeCount() {
        requireAvailable();
        try {
            return (int) h.configuredNodes().invokeExact();
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * The highest node number ({@code numa_max_node}). Node numbers may have gaps, so index
     * per-node tables by {@code maxNode() + 1}, not by {@link #nodeCount()}.
     */
    public int maxNode() {
        requireAvailable();
        try {
            return (int) h.maxNode().invokeExact();
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** How many CPUs the system has configured ({@code numa_num_configured_cpus}). */
    public int cpuCount() {
        requireAvailable();
        return nodeOfCpu.length;
    }

    /** The node of a CPU ({@code numa_node_of_cpu}), or -1 when the CPU does not exist. */
    public int nodeOfCpu(int cpu) {
        requireAvailable();
        return cpu >= 0 && cpu < nodeOfCpu.length ? nodeOfCpu[cpu] : -1;
    }

    /** The node of the CPU the calling thread runs on now, or -1 when the kernel cannot say. */
    public int currentNode() {
        requireAvailable();
        return nodeOfCpu(Libc.schedGetcpu());
    }

    /** The CPUs of a node; empty when the node has none (memory-only node) or does not exist. */
    public BitSet cpusOfNode(int node) {
        requireAvailable();
        BitSet cpus = new BitSet(nodeOfCpu.length);
        for (int cpu = 0; cpu < nodeOfCpu.length; cpu++) {
            if (nodeOfCpu[cpu] == node) {
                cpus.set(cpu);
            }
        }
        return cpus;
    }

    /**
     * Sets the memory policy of a page-aligned range ({@code mbind}, no flags): pages faulted in
     * later follow it, pages already there stay where they are, so call it before the first touch.
     * {@code nodes} must be empty for {@link #MPOL_DEFAULT} and {@link #MPOL_LOCAL}, which take no
     * nodes, and name at least one node for the others.
     */
    public void bind(MemorySegment range, int mode, BitSet nodes) throws IOCallException {
        requireAvailable();
        boolean nodeless = mode == MPOL_DEFAULT || mode == MPOL_LOCAL;
        if (mode < MPOL_DEFAULT || mode > MPOL_LOCAL) {
            throw new IllegalArgumentException("mode must be one of MPOL_DEFAULT..MPOL_LOCAL (0-4), got " + mode);
        }
        if (nodeless != nodes.isEmpty() || nodes.length() > MAX_NODES) {
            throw new IllegalArgumentException((nodeless ? "mode " + mode + " takes no nodes" : "mode " + mode
                    + " needs 1 to " + MAX_NODES + " nodes in [0, " + (MAX_NODES - 1) + "]") + ", got " + nodes);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = nodeless ? MemorySegment.NULL : arena.allocate(NODE_MASK_BYTES, Long.BYTES);
            long[] words = nodes.toLongArray();
            for (int i = 0; i < words.length; i++) {
                mask.setAtIndex(JAVA_LONG, i, words[i]);
            }
            MemorySegment cs = NativeAccess.captureState();
            long rc = (long) h.mbind().invokeExact(cs, range, range.byteSize(), mode, mask,
                    nodeless ? 0L : MAXNODE_ARG, 0);
            if (rc != 0) {
                int errno = NativeAccess.errno(cs);
                throw new IOCallException("mbind", errno, null, IOCallException.NO_OFFSET, range.byteSize(),
                        "mode " + mode + (nodeless ? "" : " node " + nodeList(nodes)) + " at 0x"
                                + Long.toHexString(range.address()) + ": " + Libc.strerror(errno));
            }
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** "3" for one node, "0,1" for several: how messages name nodes. */
    private static String nodeList(BitSet nodes) {
        return nodes.stream().mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
    }

    /** A range's memory policy as the kernel holds it: the mode ({@code MPOL_*}) and its nodes. */
    public record Policy(int mode, BitSet nodes) {}

    /**
     * The policy of the mapping holding {@code address} ({@code get_mempolicy} with MPOL_F_ADDR):
     * what {@link #bind} set there, read back from the kernel. Touches no page.
     */
    public Policy policyOf(MemorySegment address) throws IOCallException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mode = arena.allocate(JAVA_INT);
            MemorySegment mask = arena.allocate(NODE_MASK_BYTES, Long.BYTES);
            MemorySegment cs = NativeAccess.captureState();
            long rc = (long) h.getMempolicy().invokeExact(cs, mode, mask, MAXNODE_ARG, address, (long) MPOL_F_ADDR);
            if (rc != 0) {
                int errno = NativeAccess.errno(cs);
                throw new IOCallException("get_mempolicy", errno, null, IOCallException.NO_OFFSET, -1,
                        "address 0x" + Long.toHexString(address.address()) + ": " + Libc.strerror(errno));
            }
            return new Policy(mode.get(JAVA_INT, 0) & ~MPOL_MODE_FLAGS, BitSet.valueOf(mask.toArray(JAVA_LONG)));
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * The node holding the page at the start of {@code range} ({@code get_mempolicy} with
     * MPOL_F_NODE | MPOL_F_ADDR). Faults the page in if it was never touched.
     */
    public int nodeOfAddress(MemorySegment range) throws IOCallException {
        requireAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment node = arena.allocate(JAVA_INT);
            MemorySegment cs = NativeAccess.captureState();
            long rc = (long) h.getMempolicy().invokeExact(cs, node, MemorySegment.NULL, 0L, range,
                    (long) (MPOL_F_NODE | MPOL_F_ADDR));
            if (rc != 0) {
                int errno = NativeAccess.errno(cs);
                throw new IOCallException("get_mempolicy", errno, null, IOCallException.NO_OFFSET, -1,
                        "address 0x" + Long.toHexString(range.address()) + ": " + Libc.strerror(errno));
            }
            return node.get(JAVA_INT, 0);
        } catch (IOCallException e) {
            throw e;
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    @Override
    public String toString() {
        if (unavailableReason != null) {
            return "LibNuma[" + soname + ", unavailable: " + unavailableReason + "]";
        }
        return "LibNuma[" + soname + ", " + nodeCount() + " node(s), " + nodeOfCpu.length + " CPUs]";
    }
}
