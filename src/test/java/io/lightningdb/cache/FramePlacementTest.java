package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.nativeio.Libc;
import io.lightningdb.nativeio.NumaTestSupport;
import io.lightningdb.testing.LogCapture;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

/**
 * The buffer pool's frames follow the configured NUMA policy: read back from the kernel
 * ({@code get_mempolicy(MPOL_F_ADDR)}) at frame addresses, resident and evicted, on this one-node
 * machine too, where the policy is applied all the same.
 */
class FramePlacementTest {
    private static final int PAGES = 64;
    private static final int CAPACITY = 16;

    @Test
    void interleaveIsTheFramesPolicyBeforeAndAfterEviction() throws Exception {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        FramePlacement interleave = new FramePlacement(FramePlacement.Mode.INTERLEAVE, new BitSet());
        BitSet all = FramePlacement.machineNodes(numa);
        LibNuma.Policy expected = new LibNuma.Policy(LibNuma.MPOL_INTERLEAVE, all);
        try (PoolFixture f = PoolFixture.create(CacheConfig.defaults().withPlacement(interleave), CAPACITY, PAGES)) {
            assertTrue(f.pool.placement().applied(), f.pool.placement().detail());
            assertEquals(LibNuma.MPOL_INTERLEAVE, f.pool.placement().mode());
            for (int pid = 0; pid < PAGES; pid++) {
                f.read(pid);
            }
            assertTrue(f.pool.evictions() > 0, "the pool must have evicted pages: " + f.pool.evictions());
            for (int pid = 0; pid < PAGES; pid++) {
                assertEquals(expected, numa.policyOf(f.pool.page(pid)), "frame of page " + pid);
            }
            // A page faulted in after its eviction lands on a node the policy allows.
            f.read(0);
            assertTrue(all.get(numa.nodeOfAddress(f.pool.page(0))));
        }
    }

    @Test
    void eachAllocatorSetsItsKernelPolicyOnTheFrames() throws Exception {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        BitSet zero = new BitSet();
        zero.set(0);
        check(numa, new FramePlacement(FramePlacement.Mode.NODE, zero), new LibNuma.Policy(LibNuma.MPOL_PREFERRED, zero));
        check(numa, new FramePlacement(FramePlacement.Mode.DEFAULT, new BitSet()),
                new LibNuma.Policy(LibNuma.MPOL_DEFAULT, new BitSet()));
        // Every node: local allocation; node 0 alone is every node on a one-node machine, a bind otherwise.
        check(numa, new FramePlacement(FramePlacement.Mode.LOCAL, new BitSet()),
                new LibNuma.Policy(LibNuma.MPOL_LOCAL, new BitSet()));
        boolean oneNode = numa.maxNode() == 0;
        check(numa, new FramePlacement(FramePlacement.Mode.LOCAL, zero),
                oneNode ? new LibNuma.Policy(LibNuma.MPOL_LOCAL, new BitSet()) : new LibNuma.Policy(LibNuma.MPOL_BIND, zero));
    }

    private static void check(LibNuma numa, FramePlacement p, LibNuma.Policy expected) throws Exception {
        try (PoolFixture f = PoolFixture.create(CacheConfig.defaults().withPlacement(p), CAPACITY, PAGES / 4)) {
            f.read(3);
            assertEquals(expected, numa.policyOf(f.pool.page(3)), p.toString());
            assertEquals(expected, numa.policyOf(f.pool.page(PoolFixture.MAX_PAGES - 1)), p + ", last frame");
            assertEquals(expected.mode(), f.pool.placement().mode(), f.pool.placement().detail());
        }
    }

    @Test
    void withoutNumaAwarenessTheFramesHaveNoPolicyOfTheirOwn() throws Exception {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        try (PoolFixture f = PoolFixture.create(CacheConfig.defaults(), CAPACITY, 4)) {
            f.read(1);
            assertFalse(f.pool.placement().applied());
            assertTrue(f.pool.placement().detail().contains("enableNumaAwareness=false"), f.pool.placement().detail());
            assertEquals(LibNuma.MPOL_DEFAULT, numa.policyOf(f.pool.page(1)).mode());
        }
    }

    @Test
    void aNodeTheMachineLacksIsRefusedNamingTheNodeAndTheNodeCount() {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        int missing = numa.maxNode() + 1;
        BitSet nodes = new BitSet();
        nodes.set(missing);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FramePlacement(FramePlacement.Mode.INTERLEAVE, nodes).check(numa));
        String count = numa.nodeCount() + " NUMA node";
        assertTrue(e.getMessage().startsWith("numaNodes names node " + missing), e.getMessage());
        assertTrue(e.getMessage().contains(count), e.getMessage());
        IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
                () -> new FramePlacement(FramePlacement.Mode.NODE, nodes).check(numa));
        assertTrue(node.getMessage().startsWith("memoryAllocator NUMA_NODE(" + missing + ") names node " + missing),
                node.getMessage());
    }

    @Test
    void withoutLibnumaPlacementIsALoggedNoOp() throws Exception {
        LibNuma absent = LibNuma.load("libnuma-does-not-exist.so.1");
        MemorySegment range = Libc.mmap(1 << 20, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0, null);
        try (LogCapture log = new LogCapture("io.lightningdb.cache")) {
            FramePlacement p = new FramePlacement(FramePlacement.Mode.INTERLEAVE, new BitSet());
            p.check(absent); // nothing to check against: no exception
            FramePlacement.Applied a = p.apply(range, absent);
            assertFalse(a.applied());
            assertTrue(a.detail().contains("NUMA_INTERLEAVE is a no-op") && a.detail().contains("apt-get install libnuma1"),
                    a.detail());
            assertTrue(log.contains("NUMA placement NUMA_INTERLEAVE not applied"), log.messages().toString());
        } finally {
            Libc.munmap(range);
        }
    }
}
