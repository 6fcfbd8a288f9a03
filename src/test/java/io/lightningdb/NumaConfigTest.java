package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The NUMA, thread and memory pool knobs: builder checks, file forms, round trips. */
class NumaConfigTest {
    private static final Path SRC = Path.of("numa.json");

    @Test
    void theKnobsRoundTripThroughJson() {
        LightningDbConfig c = LightningDbConfig.builder().enableNumaAwareness(true).numaNodes(3, 1, 1)
                .memoryAllocator(MemoryAllocator.numaNode(3)).pinThreads(true).threadsPerNumaNode(8)
                .enableMemoryPools(false).memoryPoolSize(1L << 20).build();
        assertEquals(List.of(1, 3), c.numaNodes());
        String json = c.toJson();
        assertTrue(json.contains("\"numaNodes\" : \"1,3\"") && json.contains("\"memoryAllocator\" : \"NUMA_NODE(3)\""), json);
        LightningDbConfig back = LightningDbConfig.fromJson(json, SRC);
        assertEquals(List.of(), back.differencesFrom(c));
        assertEquals(MemoryAllocator.numaNode(3), back.memoryAllocator());
        assertTrue(c.differencesFrom(LightningDbConfig.defaults()).contains("numaNodes: all -> 1,3"),
                c.differencesFrom(LightningDbConfig.defaults()).toString());
    }

    @Test
    void fileFormsAreParsed() {
        LightningDbConfig c = LightningDbConfig.fromJson("""
                {"numaNodes": "0-2,5", "memoryAllocator": "numa_interleave"}""", SRC);
        assertEquals(List.of(0, 1, 2, 5), c.numaNodes());
        assertEquals(MemoryAllocator.NUMA_INTERLEAVE, c.memoryAllocator());
        assertEquals(List.of(), LightningDbConfig.fromJson("{\"numaNodes\": \"all\"}", SRC).numaNodes());
        LightningDbConfig d = LightningDbConfig.defaults();
        assertEquals(false, d.enableNumaAwareness());
        assertEquals(MemoryAllocator.NUMA_LOCAL, d.memoryAllocator());
        assertEquals(false, d.pinThreads());
        assertEquals(1, d.threadsPerNumaNode());
        assertEquals(true, d.enableMemoryPools());
        assertEquals(64L << 20, d.memoryPoolSize());
    }

    @Test
    void badValuesNameTheFieldAndTheRange() {
        problem("{\"numaNodes\": \"0,x\"}", "numaNodes", "\"all\" or node numbers in [0, 1023]");
        problem("{\"numaNodes\": 0}", "numaNodes", "expected a string");
        problem("{\"memoryAllocator\": \"NUMA_AWARE\"}", "memoryAllocator", "DEFAULT, NUMA_LOCAL, NUMA_INTERLEAVE or NUMA_NODE(n)");
        problem("{\"memoryAllocator\": \"NUMA_NODE(1024)\"}", "memoryAllocator", "[0, 1023], got 1024");
        problem("{\"threadsPerNumaNode\": 0}", "threadsPerNumaNode", "[1, 1024], got 0");
        problem("{\"memoryPoolSize\": 1000}", "memoryPoolSize", "[65536, 1099511627776], got 1000");
        problem("{\"numaNodes\": \"0\", \"memoryAllocator\": \"NUMA_NODE(1)\"}", "memoryAllocator",
                "NUMA_NODE(1) names a node outside numaNodes 0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LightningDbConfig.builder().numaNodes(1024).build());
        assertEquals("numaNodes must name nodes in [0, 1023], got 1024", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MemoryAllocator.numaNode(-1));
    }

    private static void problem(String json, String field, String text) {
        ConfigFilesTest.assertProblem(json, field, text);
    }
}
