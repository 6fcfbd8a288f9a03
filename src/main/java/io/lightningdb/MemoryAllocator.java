package io.lightningdb;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the buffer pool's page frames are placed in NUMA memory, the production guide's
 * {@code memory_allocator}. Applied with {@code enableNumaAwareness(true)} to the pool's whole
 * address reservation before any page is touched ({@code mbind}), so every page faulted in later,
 * after an eviction too, follows it. docs/configuration.md says what each does on which nodes.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="numa"}
 *
 * <p>In configuration files it is written as its {@link #toString()}: {@code "DEFAULT"},
 * {@code "NUMA_LOCAL"}, {@code "NUMA_INTERLEAVE"} or {@code "NUMA_NODE(1)"}.
 */
public final class MemoryAllocator {
    /** The kinds of placement; {@link #NUMA_NODE} carries a node. */
    public enum Kind {
        /** The range follows the thread's policy (numactl's, or the kernel default: the faulting CPU's node). */
        DEFAULT,
        /** Each page on the node of the CPU that first touches it; within {@code numaNodes} when they are a subset. */
        NUMA_LOCAL,
        /** Pages dealt round-robin over {@code numaNodes}: even bandwidth, no node favoured. */
        NUMA_INTERLEAVE,
        /** Pages on one node, others only when it is full. */
        NUMA_NODE
    }

    /** The highest node number Linux supports (MAX_NUMNODES is at most 1024). */
    public static final int MAX_NODE = 1023;

    public static final MemoryAllocator DEFAULT = new MemoryAllocator(Kind.DEFAULT, -1);
    public static final MemoryAllocator NUMA_LOCAL = new MemoryAllocator(Kind.NUMA_LOCAL, -1);
    public static final MemoryAllocator NUMA_INTERLEAVE = new MemoryAllocator(Kind.NUMA_INTERLEAVE, -1);

    private static final Pattern NODE_FORM = Pattern.compile("NUMA_NODE\\((\\d{1,4})\\)");

    private final Kind kind;
    private final int node;

    private MemoryAllocator(Kind kind, int node) {
        this.kind = kind;
        this.node = node;
    }

    /** {@code NUMA_NODE(node)}: frames on {@code node}, in [0, 1023]. */
    public static MemoryAllocator numaNode(int node) {
        if (node < 0 || node > MAX_NODE) {
            throw new IllegalArgumentException("memoryAllocator NUMA_NODE(n) needs n in [0, " + MAX_NODE + "], got " + node);
        }
        return new MemoryAllocator(Kind.NUMA_NODE, node);
    }

    /**
     * The allocator written as {@link #toString()} (case-insensitive): "DEFAULT", "NUMA_LOCAL",
     * "NUMA_INTERLEAVE", "NUMA_NODE(n)".
     *
     * @throws IllegalArgumentException naming the forms allowed
     */
    public static MemoryAllocator parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        Matcher m = NODE_FORM.matcher(t);
        if (m.matches()) {
            return numaNode(Integer.parseInt(m.group(1)));
        }
        for (MemoryAllocator a : new MemoryAllocator[] {DEFAULT, NUMA_LOCAL, NUMA_INTERLEAVE}) {
            if (a.kind.name().equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("memoryAllocator must be DEFAULT, NUMA_LOCAL, NUMA_INTERLEAVE or NUMA_NODE(n) "
                + "with n in [0, " + MAX_NODE + "], got \"" + text + "\"");
    }

    public Kind kind() {
        return kind;
    }

    /** The node of {@code NUMA_NODE(n)}; -1 for the other kinds. */
    public int node() {
        return node;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryAllocator a && a.kind == kind && a.node == node;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + node;
    }

    @Override
    public String toString() {
        return kind == Kind.NUMA_NODE ? "NUMA_NODE(" + node + ")" : kind.name();
    }
}
