package io.lightningdb.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryConfigTest {
    @Test
    void defaultsMatchTheProductionGuide() {
        MemoryConfig c = MemoryConfig.defaults();
        assertTrue(c.enableMemoryPools());
        assertEquals(64L << 20, c.memoryPoolSize());
        assertTrue(c.enableNumaAwareness());
        assertEquals(MemoryConfig.LOCAL_NODE, c.numaNode());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void memoryPoolSizeOutsideItsRangeNamesFieldAndRange() {
        for (long bad : new long[] {0, -1, MemoryConfig.MIN_MEMORY_POOL_SIZE - 1, MemoryConfig.MAX_MEMORY_POOL_SIZE + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryConfig.builder().memoryPoolSize(bad).build());
            assertTrue(e.getMessage().startsWith("memoryPoolSize must be in [4096, 1099511627776]"), e.getMessage());
            assertTrue(e.getMessage().endsWith("got " + bad), e.getMessage());
        }
    }

    @Test
    void numaNodeMustBeLocalOrARealNodeNumber() {
        assertEquals(7, MemoryConfig.builder().numaNode(7).build().numaNode());
        for (int bad : new int[] {-2, MemoryConfig.MAX_NUMA_NODE + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryConfig.builder().numaNode(bad).build());
            assertTrue(e.getMessage().startsWith("numaNode must be -1 (local) or in [0, 1023]"), e.getMessage());
        }
    }
}
