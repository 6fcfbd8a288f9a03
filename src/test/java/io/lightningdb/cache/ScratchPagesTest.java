package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scratch pages are recycled within the pool's bound, unmapped beyond it, and counted byte for byte. */
class ScratchPagesTest {
    private static final int PAGE = 4096;

    @Test
    void releasedBuffersAreHandedOutAgainForTheSameSize() {
        try (ScratchPages s = new ScratchPages(PAGE, new ScratchPages.Config(true, 1L << 20))) {
            MemorySegment a = s.acquire(1);
            assertEquals(0, a.address() % PAGE);
            a.set(ValueLayout.JAVA_LONG, 0, 42L);
            s.release(a);
            assertEquals(new ScratchPages.Stats(0, PAGE, 1, 0, 0), s.stats());
            MemorySegment again = s.acquire(1);
            assertEquals(a.address(), again.address());
            assertEquals(new ScratchPages.Stats(PAGE, 0, 1, 1, 0), s.stats());
            MemorySegment three = s.acquire(3); // another size: mapped, the page-sized one is not split
            assertEquals(3L * PAGE, three.byteSize());
            assertEquals(new ScratchPages.Stats(4L * PAGE, 0, 2, 1, 0), s.stats());
            s.release(again);
            s.release(three);
            assertEquals(4L * PAGE, s.heldBytes());
        }
    }

    @Test
    void thePoolKeepsAtMostMemoryPoolSizeAndUnmapsTheRest() {
        long bound = 16L * PAGE;
        try (ScratchPages s = new ScratchPages(PAGE, new ScratchPages.Config(true, bound))) {
            List<MemorySegment> held = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                held.add(s.acquire(1));
            }
            assertEquals(20L * PAGE, s.stats().inUseBytes());
            held.forEach(s::release);
            assertEquals(new ScratchPages.Stats(0, bound, 20, 0, 4), s.stats());
        }
    }

    @Test
    void withPoolsOffEveryReleaseUnmaps() {
        ScratchPages s = new ScratchPages(PAGE, new ScratchPages.Config(false, 1L << 20));
        for (int i = 0; i < 5; i++) {
            s.release(s.acquire(2));
        }
        assertEquals(new ScratchPages.Stats(0, 0, 5, 0, 5), s.stats());
        s.close();
        assertThrows(IllegalStateException.class, () -> s.acquire(1));
    }

    @Test
    void closeUnmapsWhatIsKept() {
        ScratchPages s = new ScratchPages(PAGE, ScratchPages.Config.DEFAULTS);
        s.release(s.acquire(1));
        s.release(s.acquire(2));
        s.close();
        assertEquals(new ScratchPages.Stats(0, 0, 2, 0, 2), s.stats());
    }
}
