package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code enableMemoryPools} and {@code memoryPoolSize} bound and recycle the checkpoint's scratch
 * memory, as {@code stats().memoryPools()} counts it: pooled, steady checkpoints map nothing new;
 * unpooled, every checkpoint maps and unmaps its buffers.
 */
class MemoryPoolsTest {
    private static final int CHECKPOINTS = 10;

    @Test
    void pooledCheckpointsReuseTheirScratchBuffers() {
        MemoryPoolStats m = run(true, 64L << 20);
        System.out.println("pooled: " + m);
        assertTrue(m.enabled());
        assertEquals(0, m.inUseBytes(), m.toString());
        assertTrue(m.pooledBytes() > 0, m.toString());
        // The first checkpoint (at create and open) maps its buffers, the later ones take them back.
        assertTrue(m.reused() >= 2L * (CHECKPOINTS - 1), m.toString());
        assertTrue(m.mapped() <= 6, m.toString());
    }

    @Test
    void unpooledCheckpointsMapEveryBuffer() {
        MemoryPoolStats m = run(false, 64L << 20);
        System.out.println("unpooled: " + m);
        assertEquals(0, m.reused(), m.toString());
        assertEquals(0, m.pooledBytes(), m.toString());
        assertTrue(m.mapped() >= 2L * CHECKPOINTS, m.toString());
    }

    private static MemoryPoolStats run(boolean pools, long size) {
        LightningDbConfig config = LightningDbConfig.builder().cacheSize(4L << 20).maxDatabaseSize(64L << 20)
                .walSegmentSize(1L << 20).enableMemoryPools(pools).memoryPoolSize(size).build();
        try (Database db = Database.open(TestDirs.fresh("memory-pools"), config)) {
            for (int c = 0; c < CHECKPOINTS; c++) {
                for (int i = 0; i < 50; i++) {
                    db.put(("key" + i).getBytes(StandardCharsets.UTF_8), ("v" + c).getBytes(StandardCharsets.UTF_8));
                }
                db.checkpoint();
            }
            DatabaseStats st = db.stats();
            assertTrue(st.offHeapBytes() >= st.memoryPools().pooledBytes());
            return st.memoryPools();
        }
    }
}
