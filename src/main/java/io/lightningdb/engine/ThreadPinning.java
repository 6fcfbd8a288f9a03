package io.lightningdb.engine;

import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.nativeio.Libc;
import java.util.BitSet;
import java.util.Objects;

/**
 * Pins the calling thread to a CPU, a set of CPUs or the CPUs of a NUMA node (the production
 * guide's {@code pin_threads}), and puts its previous CPUs back when the returned {@link Pin} is
 * closed.
 *
 * {@snippet class=io.lightningdb.engine.EngineExamples region="pinning"}
 *
 * <p>Only platform threads can be pinned: pinning a virtual thread would pin whichever carrier
 * thread happened to run it.
 */
public final class ThreadPinning {
    private ThreadPinning() {}

    /** Whether this platform can pin threads (Linux with the libc bindings). */
    public static boolean isSupported() {
        return Libc.isAvailable();
    }

    /** The CPUs the calling thread may run on. */
    public static BitSet currentCpus() {
        if (!Libc.isAvailable()) {
            throw new ThreadPinningException("cannot read the CPUs of thread '" + Thread.currentThread().getName()
                    + "': libc bindings unavailable: " + Libc.unavailableReason(), new BitSet(), null);
        }
        try {
            return Libc.schedGetaffinity(0);
        } catch (IOCallException e) {
            throw new ThreadPinningException("cannot read the CPUs of thread '" + Thread.currentThread().getName()
                    + "': " + e.getMessage(), new BitSet(), e);
        }
    }

    /** Pins the calling thread to one CPU. */
    public static Pin pinToCpu(int cpu) {
        if (cpu < 0 || cpu >= Libc.CPU_SETSIZE) {
            throw new IllegalArgumentException("cpu must be in [0, " + (Libc.CPU_SETSIZE - 1) + "], got " + cpu);
        }
        BitSet cpus = new BitSet();
        cpus.set(cpu);
        return pinToCpus(cpus);
    }

    /** Pins the calling thread to the CPUs of a NUMA node (as libnuma reports them). */
    public static Pin pinToNode(LibNuma numa, int node) {
        Objects.requireNonNull(numa, "numa");
        if (!numa.isAvailable()) {
            throw new ThreadPinningException("cannot pin thread '" + Thread.currentThread().getName()
                    + "' to NUMA node " + node + ": libnuma is unavailable: " + numa.unavailableReason(), new BitSet(), null);
        }
        BitSet cpus = numa.cpusOfNode(node);
        if (cpus.isEmpty()) {
            throw new ThreadPinningException("cannot pin thread '" + Thread.currentThread().getName()
                    + "' to NUMA node " + node + ": the node has no CPUs (or does not exist)", cpus, null);
        }
        return pinToCpus(cpus);
    }

    /** Pins the calling thread to a set of CPUs. */
    public static Pin pinToCpus(BitSet cpus) {
        Objects.requireNonNull(cpus, "cpus");
        if (cpus.isEmpty() || cpus.length() > Libc.CPU_SETSIZE) {
            throw new IllegalArgumentException("cpus must name 1 to " + Libc.CPU_SETSIZE + " CPUs in [0, "
                    + (Libc.CPU_SETSIZE - 1) + "], got " + cpus);
        }
        requireSupported(cpus);
        Thread thread = Thread.currentThread();
        if (thread.isVirtual()) {
            throw new ThreadPinningException("cannot pin virtual thread " + thread + " to " + describe(cpus)
                    + ": it would pin its carrier thread", cpus, null);
        }
        BitSet previous = currentCpus();
        set(cpus, "pin");
        return new Pin(thread, (BitSet) cpus.clone(), previous);
    }

    private static void requireSupported(BitSet cpus) {
        if (!Libc.isAvailable()) {
            throw new ThreadPinningException("cannot pin threads to " + describe(cpus) + ": libc bindings unavailable: "
                    + Libc.unavailableReason(), cpus, null);
        }
    }

    private static void set(BitSet cpus, String what) {
        try {
            Libc.schedSetaffinity(0, cpus);
        } catch (IOCallException e) {
            // EINVAL here usually means the CPUs do not exist or are outside this container's cpuset.
            throw new ThreadPinningException("cannot " + what + " thread '" + Thread.currentThread().getName() + "' to "
                    + describe(cpus) + ": " + e.getMessage() + "; allowed CPUs are " + allowedOrUnknown(), cpus, e);
        }
    }

    private static String allowedOrUnknown() {
        try {
            return Libc.schedGetaffinity(0).toString();
        } catch (IOCallException e) {
            return "unknown";
        }
    }

    private static String describe(BitSet cpus) {
        return cpus.cardinality() == 1 ? "CPU " + cpus.nextSetBit(0) : "CPUs " + cpus;
    }

    /** A pinned thread; {@link #close()} restores the CPUs it had before, on the same thread. */
    public static final class Pin implements AutoCloseable {
        private final Thread owner;
        private final BitSet cpus;
        private final BitSet previous;
        private boolean restored;

        private Pin(Thread owner, BitSet cpus, BitSet previous) {
            this.owner = owner;
            this.cpus = cpus;
            this.previous = previous;
        }

        /** The CPUs the thread is pinned to. */
        public BitSet cpus() {
            return (BitSet) cpus.clone();
        }

        /** The CPUs the thread could run on before, restored by {@link #close()}. */
        public BitSet previousCpus() {
            return (BitSet) previous.clone();
        }

        /** Restores the previous CPUs. Idempotent; must run on the pinned thread (affinity is per thread). */
        @Override
        public void close() {
            if (restored) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a Pin must be closed by the pinned thread '" + owner.getName()
                        + "', not by '" + Thread.currentThread().getName() + "'");
            }
            set(previous, "restore");
            restored = true;
        }

        @Override
        public String toString() {
            return "Pin[" + owner.getName() + " on " + describe(cpus) + (restored ? ", restored" : "") + "]";
        }
    }
}
