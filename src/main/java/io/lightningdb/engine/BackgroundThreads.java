package io.lightningdb.engine;

import io.lightningdb.nativeio.LibNuma;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The engine's one source of background threads: the checkpointer, the log's flusher and segment
 * preallocator, and every worker added later take their threads from here, so pinning them
 * ({@code pinThreads}, {@code threadsPerNumaNode}: the guide's {@code thread_pool_config}) is
 * decided in one place. Threads are platform daemons; their owners name them and stop them.
 *
 * {@snippet class=io.lightningdb.engine.EngineExamples region="backgroundThreads"}
 *
 * <p>With pinning, the k-th thread made is dealt to node {@code nodes[(k / threadsPerNumaNode) %
 * nodes.length]} and, as its first act, restricts itself to that node's CPUs with
 * {@code sched_setaffinity}; then it reads its affinity back ({@code sched_getaffinity}), which
 * {@link #started()} reports. A thread that cannot be pinned (a cpuset that excludes the node) says
 * so once at WARNING and runs unpinned: pinning places work, it never stops it.
 */
public final class BackgroundThreads implements ThreadFactory {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.engine");

    /** A thread as it started: its name, the node it was dealt (-1 unpinned), its CPUs read back from the kernel. */
    public record Started(String name, int node, BitSet cpus) {}

    /** Null: threads are not pinned. */
    private final LibNuma numa;
    private final int[] nodes;
    private final int threadsPerNode;
    private final String description;
    private final AtomicInteger made = new AtomicInteger();
    private final List<Started> started = new ArrayList<>();
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    private BackgroundThreads(LibNuma numa, int[] nodes, int threadsPerNode, String description) {
        this.numa = numa;
        this.nodes = nodes;
        this.threadsPerNode = threadsPerNode;
        this.description = description;
    }

    /** Threads left where the scheduler puts them ({@code pinThreads=false}). */
    public static BackgroundThreads unpinned() {
        return new BackgroundThreads(null, new int[0], 1, "background threads not pinned (pinThreads=false)");
    }

    /**
     * Threads pinned to the CPUs of {@code nodes} (empty: every node of the machine), dealt
     * {@code threadsPerNode} at a time. Without libnuma a no-op, logged at INFO (pinning was asked for).
     *
     * @throws IllegalArgumentException when a node is not one of this machine's, or has no CPUs,
     *     naming the node and the machine's node count
     */
    public static BackgroundThreads pinned(BitSet nodes, int threadsPerNode, LibNuma numa) {
        if (threadsPerNode < 1) {
            throw new IllegalArgumentException("threadsPerNumaNode must be at least 1, got " + threadsPerNode);
        }
        if (!numa.isAvailable()) {
            LOG.log(Level.INFO, "pinThreads not applied: {0}", numa.unavailableReason());
            return new BackgroundThreads(null, new int[0], threadsPerNode,
                    "background threads not pinned, a no-op: " + numa.unavailableReason());
        }
        int count = numa.nodeCount();
        BitSet use = (BitSet) nodes.clone();
        if (use.isEmpty()) {
            for (int n = 0; n <= numa.maxNode(); n++) {
                if (!numa.cpusOfNode(n).isEmpty()) {
                    use.set(n);
                }
            }
        }
        for (int n = use.nextSetBit(0); n >= 0; n = use.nextSetBit(n + 1)) {
            if (numa.cpusOfNode(n).isEmpty()) {
                throw new IllegalArgumentException("numaNodes names node " + n + " for pinThreads, but this machine has "
                        + count + " NUMA node" + (count == 1 ? "" : "s") + " with CPUs on nodes " + cpuNodes(numa));
            }
        }
        int[] dealt = use.stream().toArray();
        String list = use.stream().mapToObj(Integer::toString).collect(Collectors.joining(","));
        return new BackgroundThreads(numa, dealt, threadsPerNode, "background threads pinned to the CPUs of node(s) "
                + list + ", " + threadsPerNode + " in a row per node (sched_setaffinity, read back)");
    }

    private static String cpuNodes(LibNuma numa) {
        List<String> out = new ArrayList<>();
        for (int n = 0; n <= numa.maxNode(); n++) {
            if (!numa.cpusOfNode(n).isEmpty()) {
                out.add(Integer.toString(n));
            }
        }
        return String.join(",", out);
    }

    /** Whether threads are pinned. */
    public boolean pinning() {
        return numa != null;
    }

    /** One sentence for {@code Capabilities}: pinned where, or why not. */
    public String description() {
        return description;
    }

    /** The node the k-th thread made is dealt, or -1 without pinning. */
    int nodeOf(int k) {
        return numa == null ? -1 : dealt(k, nodes, threadsPerNode);
    }

    /** Blocks of {@code perNode} consecutive threads per node, round-robin over {@code nodes}. */
    static int dealt(int k, int[] nodes, int perNode) {
        return nodes[(k / perNode) % nodes.length];
    }

    /** An unstarted daemon thread running {@code body} (pinned first, when pinning); the owner names it. */
    @Override
    public Thread newThread(Runnable body) {
        int node = nodeOf(made.getAndIncrement());
        return Thread.ofPlatform().daemon().name("lightning-background").unstarted(() -> {
            pin(node);
            body.run();
        });
    }

    private void pin(int node) {
        boolean pinned = false;
        if (node >= 0) {
            try {
                ThreadPinning.pinToNode(numa, node);
                pinned = true;
            } catch (ThreadPinningException e) {
                if (failureLogged.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "background thread runs unpinned: {0}", e.getMessage());
                }
            }
        }
        BitSet cpus;
        try {
            cpus = ThreadPinning.currentCpus();
        } catch (ThreadPinningException e) {
            cpus = new BitSet();
        }
        synchronized (started) {
            started.add(new Started(Thread.currentThread().getName(), pinned ? node : -1, cpus));
        }
    }

    /**
     * Waits until {@code t} has ended, interrupted or not (the interrupt is kept for the caller):
     * a background thread may be using the pool, which its owner closes after this.
     */
    static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every thread started so far, in the order they began to run. */
    public List<Started> started() {
        synchronized (started) {
            return List.copyOf(started);
        }
    }
}
