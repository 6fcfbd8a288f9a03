package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class NumaBindingsTest {
    private static final String MISSING = "libnuma-does-not-exist.so.1";
    private static final long RANGE = 1L << 20;

    @Test
    void systemLibraryReportsTheNodesTheKernelHas() throws IOException {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        assertNull(numa.unavailableReason());
        int sysfsNodes = countNodesWithMemory();
        System.out.println(numa + "; sysfs nodes with memory: " + sysfsNodes);
        assertEquals(sysfsNodes, numa.nodeCount());
        if (sysfsNodes == 1) {
            // The one-node machine the engine is mostly tested on: everything is node 0.
            assertEquals(0, numa.maxNode());
            assertEquals(0, numa.nodeOfCpu(0));
            assertEquals(0, numa.currentNode());
            BitSet all = new BitSet();
            all.set(0, numa.cpuCount());
            assertEquals(all, numa.cpusOfNode(0));
        }
        assertTrue(numa.cpuCount() >= Runtime.getRuntime().availableProcessors(), numa.toString());
    }

    @Test
    void cpusOutsideTheMachineHaveNoNode() {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        assertEquals(-1, numa.nodeOfCpu(numa.cpuCount()));
        assertEquals(-1, numa.nodeOfCpu(-1));
        assertTrue(numa.cpusOfNode(numa.maxNode() + 1).isEmpty());
    }

    @Test
    void bindingARangeToNodeZeroPlacesItsPagesThere() throws IOCallException {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        MemorySegment range = Libc.mmap(RANGE, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, null);
        try {
            numa.bind(range, LibNuma.MPOL_PREFERRED, nodes(0));
            range.set(ValueLayout.JAVA_LONG, 0, 1L);
            range.set(ValueLayout.JAVA_LONG, RANGE - Long.BYTES, 1L);
            assertEquals(0, numa.nodeOfAddress(range));
            assertEquals(0, numa.nodeOfAddress(range.asSlice(RANGE - 4096)));
        } finally {
            Libc.munmap(range);
        }
    }

    @Test
    void bindingToANodeThatDoesNotExistNamesTheNode() throws IOCallException {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        int missingNode = numa.maxNode() + 1;
        MemorySegment range = Libc.mmap(RANGE, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, null);
        try {
            IOCallException e = assertThrows(IOCallException.class,
                    () -> numa.bind(range, LibNuma.MPOL_PREFERRED, nodes(missingNode)));
            assertEquals("mbind", e.call());
            assertTrue(e.getMessage().contains("node " + missingNode), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> numa.bind(range, LibNuma.MPOL_PREFERRED, nodes(LibNuma.MAX_NODES)));
            assertThrows(IllegalArgumentException.class, () -> numa.bind(range, LibNuma.MPOL_INTERLEAVE, new BitSet()));
            assertThrows(IllegalArgumentException.class, () -> numa.bind(range, LibNuma.MPOL_LOCAL, nodes(0)));
        } finally {
            Libc.munmap(range);
        }
    }

    @Test
    void everyPolicySetOnARangeReadsBackFromTheKernel() throws IOCallException {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        MemorySegment range = Libc.mmap(RANGE, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0, null);
        try {
            // A fresh mapping has no policy of its own.
            assertEquals(new LibNuma.Policy(LibNuma.MPOL_DEFAULT, new BitSet()), numa.policyOf(range));
            for (int mode : new int[] {LibNuma.MPOL_PREFERRED, LibNuma.MPOL_BIND, LibNuma.MPOL_INTERLEAVE}) {
                numa.bind(range, mode, nodes(0));
                assertEquals(new LibNuma.Policy(mode, nodes(0)), numa.policyOf(range.asSlice(RANGE - 4096)), "mode " + mode);
            }
            numa.bind(range, LibNuma.MPOL_LOCAL, new BitSet());
            assertEquals(LibNuma.MPOL_LOCAL, numa.policyOf(range).mode());
            numa.bind(range, LibNuma.MPOL_DEFAULT, new BitSet());
            assertEquals(LibNuma.MPOL_DEFAULT, numa.policyOf(range).mode());
        } finally {
            Libc.munmap(range);
        }
    }

    @Test
    void aMissingLibraryIsUnavailableWithAReasonNamingThePackage() {
        LibNuma numa = LibNuma.load(MISSING);
        assertFalse(numa.isAvailable());
        assertEquals(MISSING, numa.soname());
        String reason = numa.unavailableReason();
        assertTrue(reason.contains(MISSING), reason);
        assertTrue(reason.contains("apt-get install libnuma1"), reason);
        IllegalStateException e = assertThrows(IllegalStateException.class, numa::nodeCount);
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertThrows(IllegalStateException.class, numa::currentNode);
        assertTrue(numa.toString().contains("unavailable"), numa.toString());
    }

    @Test
    void loadingTheRealSonameAgainGivesAnEquivalentInstance() {
        NumaTestSupport.requireSystemNuma();
        LibNuma again = LibNuma.load(LibNuma.SONAME);
        assertTrue(again.isAvailable(), String.valueOf(again.unavailableReason()));
        assertEquals(LibNuma.system().nodeCount(), again.nodeCount());
    }

    private static BitSet nodes(int... nodes) {
        BitSet b = new BitSet();
        for (int n : nodes) {
            b.set(n);
        }
        return b;
    }

    /** Nodes listed in /sys/devices/system/node/has_memory, e.g. "0" or "0-1,3". */
    private static int countNodesWithMemory() throws IOException {
        String list = Files.readString(Path.of("/sys/devices/system/node/has_memory")).trim();
        int count = 0;
        for (String part : list.split(",")) {
            String[] bounds = part.split("-");
            int lo = Integer.parseInt(bounds[0]);
            int hi = bounds.length == 2 ? Integer.parseInt(bounds[1]) : lo;
            count += hi - lo + 1;
        }
        return count;
    }
}
