package io.lightningdb.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A batch whose requests overlap where one writes has no defined outcome, so it is refused. */
class PageBatchOverlapTest {
    private static final MemorySegment PAGE = Arena.global().allocate(4096, 4096);
    private static final MemorySegment TWO = Arena.global().allocate(8192, 4096);

    @Test
    void overlappingReadsAreFineAWriteOverlappingAnythingIsNot() {
        assertEquals(-1, new PageBatch(2).read(0, PAGE).read(0, PAGE).findOverlap());
        assertEquals(-1, new PageBatch(2).write(0, PAGE).write(4096, PAGE).findOverlap());
        assertEquals(1L, new PageBatch(2).write(0, PAGE).read(0, PAGE).findOverlap());
        assertEquals(1L, new PageBatch(2).read(0, PAGE).write(0, PAGE).findOverlap());
        // a two-page read overlapping a later one-page write at its second page, out of order
        long o = new PageBatch(3).write(8192, PAGE).write(40960, PAGE).read(4096, TWO).findOverlap();
        assertTrue(o == ((long) 2 << 32 | 0) || o == ((long) 0 << 32 | 2), Long.toHexString(o));
    }

    @Test
    void sweepAgreesWithPairwiseCheckOnRandomBatches() {
        SplittableRandom rnd = Seeds.random("PageBatchOverlapTest.random");
        for (int round = 0; round < 2000; round++) {
            int n = 1 + rnd.nextInt(40);
            PageBatch b = new PageBatch(1);
            for (int i = 0; i < n; i++) {
                long off = rnd.nextInt(64) * 4096L;
                MemorySegment seg = rnd.nextInt(4) == 0 ? TWO : PAGE;
                if (rnd.nextInt(3) == 0) {
                    b.write(off, seg);
                } else {
                    b.read(off, seg);
                }
            }
            boolean pairwise = false;
            for (int i = 0; i < n && !pairwise; i++) {
                for (int j = i + 1; j < n; j++) {
                    boolean intersect = b.offset(i) < b.offset(j) + b.segment(j).byteSize()
                            && b.offset(j) < b.offset(i) + b.segment(i).byteSize();
                    if (intersect && (b.isWrite(i) || b.isWrite(j))) {
                        pairwise = true;
                        break;
                    }
                }
            }
            long found = b.findOverlap();
            assertEquals(pairwise, found >= 0, "round " + round);
            if (found >= 0) {
                int i = (int) (found >>> 32);
                int j = (int) found;
                assertTrue(b.offset(i) < b.offset(j) + b.segment(j).byteSize()
                        && b.offset(j) < b.offset(i) + b.segment(i).byteSize()
                        && (b.isWrite(i) || b.isWrite(j)), "reported pair must conflict, round " + round);
            }
        }
    }

    @Test
    void everyBackendRefusesAConflictingBatchBeforeAnyIo() throws Exception {
        for (PageIOBackend backend : BackendMatrix.concreteBackends()) {
            try (PageIO io = PageIOs.open(TestDirs.fresh("overlap").resolve("f"), 4096,
                    IoConfig.defaults().withBackend(backend))) {
                PageBatch batch = new PageBatch(2).write(0, PAGE).write(0, PAGE);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> io.execute(batch));
                assertTrue(e.getMessage().contains("write at offset 0, 4096 bytes") && e.getMessage().contains("overlap"),
                        e.getMessage());
                assertEquals(0, io.size(), backend + ": nothing of a refused batch may be written");
            }
        }
    }
}
