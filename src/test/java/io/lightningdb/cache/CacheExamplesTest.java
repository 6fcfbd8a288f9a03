package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.io.IoConfig;
import io.lightningdb.io.PageIO;
import io.lightningdb.io.PageIOBackend;
import io.lightningdb.io.PageIOs;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The buffer pool's Javadoc examples run, and do what their comments say. */
class CacheExamplesTest {
    private static final IoConfig IO = IoConfig.builder().backend(PageIOBackend.POSIX).useDirectIo(false).build();

    @Test
    void poolExamples() throws Exception {
        Path dir = TestDirs.fresh("examples-cache");
        try (PageIO io = PageIOs.open(dir.resolve("pages"), 4096, IO)) {
            assertTrue(CacheExamples.latches(io));
            assertEquals(PolicyKind.ARC, CacheExamples.config(io, 1 << 10).algorithm());
        }
        assertTrue(CacheExamples.pageTable(dir.resolve("table"), 3) >= 2, "slots 0 and 1 hold the superblocks");
    }

    @Test
    void scratchExample() {
        try (ScratchPages scratch = new ScratchPages(4096, ScratchPages.Config.DEFAULTS);
                Arena arena = Arena.ofConfined()) {
            CacheExamples.scratch(scratch, arena.allocate(4096));
            assertEquals(0, scratch.stats().inUseBytes());
            assertEquals(4096, scratch.stats().pooledBytes());
        }
    }
}
