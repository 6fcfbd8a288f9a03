package io.lightningdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.nativeio.Libc;
import io.lightningdb.nativeio.NumaTestSupport;
import io.lightningdb.testing.LogCapture;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Pinned background threads run on their node's CPUs, as each reads its affinity back from inside.
 * The creating thread is first narrowed to one CPU: a new thread inherits that mask, so a thread
 * that reads back the whole node was pinned, on this one-node machine too.
 */
class BackgroundThreadsTest {
    @Test
    void pinnedThreadsRunOnTheCpusOfTheirNode() throws Exception {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        BitSet allowed = ThreadPinning.currentCpus();
        BitSet node0 = numa.cpusOfNode(0);
        node0.and(allowed);
        assumeTrue(node0.cardinality() >= 2, "node 0 needs two allowed CPUs to tell pinned from inherited: " + node0);
        BackgroundThreads pool = BackgroundThreads.pinned(new BitSet(), 1, numa);
        assertTrue(pool.pinning());
        try (ThreadPinning.Pin narrow = ThreadPinning.pinToCpu(node0.length() - 1)) {
            BitSet inside = affinityInside(pool, "lightning-test-pinned");
            assertEquals(node0, inside);
            assertEquals(List.of(new BackgroundThreads.Started("lightning-test-pinned", 0, node0)), pool.started());
            assertTrue(pool.description().contains("pinned to the CPUs of node(s) 0"), pool.description());
        }
    }

    @Test
    void unpinnedThreadsKeepTheMaskTheyInherit() throws Exception {
        assumeTrue(Libc.isAvailable(), Libc.unavailableReason());
        BitSet allowed = ThreadPinning.currentCpus();
        BackgroundThreads pool = BackgroundThreads.unpinned();
        try (ThreadPinning.Pin narrow = ThreadPinning.pinToCpu(allowed.length() - 1)) {
            assertEquals(narrow.cpus(), affinityInside(pool, "lightning-test-unpinned"));
            assertEquals(-1, pool.started().get(0).node());
        }
        assertFalse(pool.pinning());
    }

    @Test
    void threadsAreDealtInBlocksOfThreadsPerNode() {
        int[] nodes = {0, 1, 3};
        int[] two = new int[8];
        int[] one = new int[4];
        for (int k = 0; k < two.length; k++) {
            two[k] = BackgroundThreads.dealt(k, nodes, 2);
        }
        for (int k = 0; k < one.length; k++) {
            one[k] = BackgroundThreads.dealt(k, nodes, 1);
        }
        assertArrayEquals(new int[] {0, 0, 1, 1, 3, 3, 0, 0}, two);
        assertArrayEquals(new int[] {0, 1, 3, 0}, one);
    }

    @Test
    void aNodeTheMachineLacksIsRefusedNamingTheNodeAndTheNodeCount() {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        BitSet missing = new BitSet();
        missing.set(numa.maxNode() + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BackgroundThreads.pinned(missing, 1, numa));
        assertTrue(e.getMessage().startsWith("numaNodes names node " + (numa.maxNode() + 1)), e.getMessage());
        assertTrue(e.getMessage().contains(numa.nodeCount() + " NUMA node"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BackgroundThreads.pinned(new BitSet(), 0, numa));
    }

    @Test
    void withoutLibnumaPinningIsALoggedNoOp() throws Exception {
        LibNuma absent = LibNuma.load("libnuma-does-not-exist.so.1");
        try (LogCapture log = new LogCapture("io.lightningdb.engine")) {
            BackgroundThreads pool = BackgroundThreads.pinned(new BitSet(), 1, absent);
            assertFalse(pool.pinning());
            assertTrue(pool.description().contains("no-op") && pool.description().contains("apt-get install libnuma1"),
                    pool.description());
            assertTrue(log.contains("pinThreads not applied"), log.messages().toString());
            if (Libc.isAvailable()) {
                affinityInside(pool, "lightning-test-absent");
                assertEquals(-1, pool.started().get(0).node());
            }
        }
    }

    /** Starts a thread of {@code pool} that reads its own affinity from the kernel. */
    private static BitSet affinityInside(BackgroundThreads pool, String name) throws Exception {
        CompletableFuture<BitSet> cpus = new CompletableFuture<>();
        Thread t = pool.newThread(() -> {
            try {
                cpus.complete(Libc.schedGetaffinity(0));
            } catch (Throwable e) {
                cpus.completeExceptionally(e);
            }
        });
        t.setName(name);
        assertTrue(t.isDaemon());
        t.start();
        t.join();
        return cpus.get(10, TimeUnit.SECONDS);
    }
}
