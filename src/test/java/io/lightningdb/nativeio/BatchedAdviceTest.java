package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class BatchedAdviceTest {
    private static final int PAGE = 4096;

    @Test
    void dontNeedZeroesExactlyTheRangesAdded() throws Exception {
        MemorySegment m = Libc.mmap(8L * PAGE, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS,
                -1, 0, null);
        try (BatchedAdvice b = BatchedAdvice.open(4)) {
            assumeTrue(b != null, "no process_madvise here (kernel or glibc too old)");
            for (int i = 0; i < 8; i++) {
                m.asSlice((long) i * PAGE, PAGE).fill((byte) (i + 1));
            }
            assertTrue(b.add(m.asSlice(1L * PAGE, PAGE)));
            assertTrue(b.add(m.asSlice(3L * PAGE, PAGE)));
            assertTrue(b.add(m.asSlice(6L * PAGE, 2L * PAGE)));
            assertEquals(3, b.size());
            assertTrue(b.advise(Libc.MADV_DONTNEED), "this kernel takes MADV_DONTNEED for the caller itself");
            assertEquals(0, b.size());
            for (int i = 0; i < 8; i++) {
                boolean advised = i == 1 || i == 3 || i >= 6;
                byte expected = advised ? 0 : (byte) (i + 1);
                for (int off = 0; off < PAGE; off += 512) {
                    assertEquals(expected, m.get(ValueLayout.JAVA_BYTE, (long) i * PAGE + off), "page " + i + " byte " + off);
                }
            }
        } finally {
            Libc.munmap(m);
        }
    }

    @Test
    void freeIsTakenAndAFullBatchRefusesMore() throws Exception {
        MemorySegment m = Libc.mmap(4L * PAGE, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS,
                -1, 0, null);
        try (BatchedAdvice b = BatchedAdvice.open(2)) {
            assumeTrue(b != null, "no process_madvise here (kernel or glibc too old)");
            m.fill((byte) 7);
            assertTrue(b.add(m.asSlice(0, PAGE)));
            assertTrue(b.add(m.asSlice(PAGE, PAGE)));
            assertFalse(b.add(m.asSlice(2L * PAGE, PAGE)), "a batch of 2 takes no third range");
            assertTrue(b.advise(Libc.MADV_FREE), "this kernel takes MADV_FREE for the caller itself");
            // Written after the advice: the kernel may no longer take the page, so the bytes stay.
            m.set(ValueLayout.JAVA_BYTE, 0, (byte) 9);
            assertEquals(9, m.get(ValueLayout.JAVA_BYTE, 0));
            assertTrue(b.advise(Libc.MADV_FREE), "an empty batch is nothing to do");
        } finally {
            Libc.munmap(m);
        }
    }

    @Test
    void capacityIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> BatchedAdvice.open(0));
        assertThrows(IllegalArgumentException.class, () -> BatchedAdvice.open(BatchedAdvice.MAX_RANGES + 1));
    }
}
