package io.lightningdb.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lightningdb.testing.TestDirs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The page I/O Javadoc examples run (those that need no io_uring), and do what their comments say. */
class IoExamplesTest {
    @Test
    void openReadWriteBatch() throws Exception {
        Path dir = TestDirs.fresh("examples-io");
        IoExamples.open(dir);
        Path path = dir.resolve("pages");
        IoExamples.readWrite(path);
        try (PageIO io = PageIOs.open(path, 4096, IoConfig.defaults()); Arena arena = Arena.ofConfined()) {
            long[] offsets = new long[32];
            MemorySegment[] frames = new MemorySegment[32];
            for (int i = 0; i < 32; i++) {
                offsets[i] = i * 4096L;
                frames[i] = arena.allocate(4096, 4096);
                frames[i].fill((byte) 1);
            }
            IoExamples.batch(io, offsets, frames);
            assertEquals(0, frames[2].get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0), "preallocated pages read as zeros");
        }
    }

    @Test
    void config() {
        assertEquals(256, IoExamples.config().ioUringQueueDepth());
    }
}
