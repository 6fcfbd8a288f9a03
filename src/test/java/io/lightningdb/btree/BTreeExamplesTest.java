package io.lightningdb.btree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.io.IoConfig;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The tree's Javadoc examples run, and do what their comments say. */
class BTreeExamplesTest {
    @Test
    void putGet() throws Exception {
        Path path = TestDirs.fresh("examples-btree").resolve("db.pages");
        try (PageFile f = PageFile.create(path, 4096, 1024, IoConfig.defaults(), 1L << 20, 64L << 20)) {
            assertEquals(5, BTreeExamples.putGet(f, "hello".getBytes(UTF_8), "world".getBytes(UTF_8)));
        }
    }

    @Test
    void headsAndSearch() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(4096, 8);
            long headsOffset = 64;
            assertTrue(BTreeExamples.heads(page, headsOffset, 0));
            page.set(KeyHeads.LAYOUT, headsOffset + KeyHeads.BYTES, KeyHeads.head("banana".getBytes(UTF_8)));
            assertArrayEquals(new int[] {0, 1}, BTreeExamples.search(page, headsOffset, 2, "apple".getBytes(UTF_8)));
            assertArrayEquals(new int[] {1, 1}, BTreeExamples.search(page, headsOffset, 2, "apricot".getBytes(UTF_8)));
        }
    }
}
