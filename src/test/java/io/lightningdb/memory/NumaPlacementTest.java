package io.lightningdb.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.nativeio.NumaTestSupport;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class NumaPlacementTest {
    private static final String MISSING = "libnuma-does-not-exist.so.1";

    @Test
    void memoryConfiguredForNodeZeroLandsOnNodeZero() throws IOCallException {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        MemoryConfig config = MemoryConfig.builder().numaNode(0).build();
        try (OffHeapArena arena = OffHeapArena.builder().config(config).build()) {
            assertTrue(arena.numaPlacement(), arena.toString());
            assertEquals("NUMA: node 0", arena.placement());
            MemorySegment carved = arena.allocate(4096);
            MemorySegment dedicated = arena.allocate(4L << 20);
            for (MemorySegment s : List.of(carved, dedicated)) {
                s.set(ValueLayout.JAVA_LONG, 0, 1L);
                assertEquals(0, numa.nodeOfAddress(s));
            }
        }
    }

    @Test
    void localPlacementOnOneNodeIsPlainMmap() {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        assumeTrue(numa.nodeCount() == 1, "machine has " + numa.nodeCount() + " nodes");
        try (OffHeapArena arena = OffHeapArena.builder().config(MemoryConfig.defaults()).build()) {
            assertFalse(arena.numaPlacement());
            assertEquals("plain mmap (one NUMA node)", arena.placement());
            arena.free(arena.allocate(4096));
        }
    }

    @Test
    void aNodeTheMachineDoesNotHaveIsRefused() {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        assumeTrue(numa.maxNode() < MemoryConfig.MAX_NUMA_NODE);
        int missing = numa.maxNode() + 1;
        MemoryConfig config = MemoryConfig.builder().numaNode(missing).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OffHeapArena.builder().config(config).build());
        assertTrue(e.getMessage().contains("numaNode " + missing + " does not exist"), e.getMessage());
    }

    @Test
    void withoutLibnumaTheArenaWorksPlainAndSaysSoOnce() {
        LibNuma absent = LibNuma.load(MISSING);
        assertFalse(absent.isAvailable());
        Logger jul = Logger.getLogger("io.lightningdb.memory");
        List<String> messages = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getMessage() != null && r.getMessage().startsWith("NUMA placement off")) {
                    messages.add(r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        jul.addHandler(capture);
        OffHeapArena.forgetPlainPlacementLoggedForTest();
        try {
            for (int i = 0; i < 3; i++) {
                MemoryConfig config = MemoryConfig.builder().numaNode(i == 0 ? 0 : MemoryConfig.LOCAL_NODE).build();
                try (OffHeapArena arena = OffHeapArena.builder().config(config).numa(absent).build()) {
                    assertFalse(arena.numaPlacement());
                    assertTrue(arena.placement().contains(MISSING + " not found"), arena.placement());
                    MemorySegment s = arena.allocate(10_000);
                    assertEquals(0, s.address() % OffHeapArena.ALIGNMENT);
                    s.fill((byte) 1);
                    arena.free(s);
                }
            }
        } finally {
            jul.removeHandler(capture);
        }
        assertEquals(1, messages.size(), messages.toString());
    }

    @Test
    void numaAwarenessOffIsPlainWhateverTheMachine() {
        MemoryConfig config = MemoryConfig.builder().enableNumaAwareness(false).numaNode(0).build();
        try (OffHeapArena arena = OffHeapArena.builder().config(config).build()) {
            assertFalse(arena.numaPlacement());
            assertTrue(arena.placement().contains("enableNumaAwareness is false"), arena.placement());
        }
    }

    @Test
    void javaArenaMappingsCannotBePlacedAndSaySo() {
        MemoryConfig config = MemoryConfig.builder().numaNode(0).build();
        try (OffHeapArena arena = OffHeapArena.builder().config(config).source(new MappingSource.JavaArenas()).build()) {
            assertFalse(arena.numaPlacement());
            assertTrue(arena.placement().startsWith("plain Java arenas"), arena.placement());
            arena.free(arena.allocate(1L << 20));
        }
    }
}
