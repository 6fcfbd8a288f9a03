package io.lightningdb.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PagePoolTest {
    private static final long FRAME = 8192;
    private static final int BOUND_FRAMES = 4;

    private final MemoryAccounting acc = new MemoryAccounting();
    private final OffHeapArena arena = OffHeapArena.builder().accounting(acc).name("pool-test").build();

    @AfterEach
    void closeArena() {
        arena.close();
    }

    private PagePool pool(boolean enabled, long poolSize) {
        return new PagePool(arena, FRAME, MemoryConfig.builder().enableMemoryPools(enabled).memoryPoolSize(poolSize).build());
    }

    @Test
    void withPoolsOnAReleasedFrameIsHandedOutAgainWithoutAllocating() {
        PagePool pool = pool(true, MemoryConfig.DEFAULT_MEMORY_POOL_SIZE);
        MemorySegment first = pool.acquire();
        long allocations = acc.allocations();
        pool.release(first);
        assertEquals(FRAME, acc.pooledBytes());
        assertEquals(0, acc.inUseBytes());

        MemorySegment second = pool.acquire();
        assertEquals(first.address(), second.address());
        assertEquals(allocations, acc.allocations(), "the arena allocated although a free frame was pooled");
        assertEquals(1, pool.hits());
        assertEquals(1, pool.misses());
        assertEquals(0, acc.pooledBytes());
        assertEquals(FRAME, acc.inUseBytes());
    }

    @Test
    void withPoolsOffEveryAcquireAllocatesAndEveryReleaseFrees() {
        PagePool pool = pool(false, MemoryConfig.DEFAULT_MEMORY_POOL_SIZE);
        MemorySegment first = pool.acquire();
        long allocations = acc.allocations();
        long frees = acc.frees();
        pool.release(first);
        assertEquals(frees + 1, acc.frees());
        assertEquals(0, acc.allocatedBytes());

        MemorySegment second = pool.acquire();
        assertEquals(allocations + 1, acc.allocations());
        assertEquals(0, pool.hits());
        assertEquals(2, pool.misses());
        assertEquals(0, pool.pooledBytes());
        pool.release(second);
    }

    @Test
    void theFreeListNeverHoldsMoreThanMemoryPoolSize() {
        PagePool pool = pool(true, BOUND_FRAMES * FRAME);
        List<MemorySegment> frames = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            frames.add(pool.acquire());
        }
        for (MemorySegment f : frames) {
            pool.release(f);
            assertTrue(pool.pooledBytes() <= BOUND_FRAMES * FRAME, pool.toString());
        }
        assertEquals(BOUND_FRAMES * FRAME, pool.pooledBytes());
        assertEquals(BOUND_FRAMES * FRAME, acc.pooledBytes());
        assertEquals(BOUND_FRAMES * FRAME, acc.allocatedBytes(), "frames beyond the bound went back to the arena");
        assertEquals(0, acc.inUseBytes());

        long allocations = acc.allocations();
        for (int i = 0; i < BOUND_FRAMES; i++) {
            pool.acquire();
        }
        assertEquals(allocations, acc.allocations());
        pool.acquire();
        assertEquals(allocations + 1, acc.allocations());
    }

    @Test
    void aPoolSmallerThanAFrameKeepsNothing() {
        PagePool pool = pool(true, MemoryConfig.MIN_MEMORY_POOL_SIZE);
        pool.release(pool.acquire());
        assertEquals(0, pool.pooledBytes());
        assertEquals(0, acc.allocatedBytes());
    }

    @Test
    void releasingAFrameTwiceNamesItsAddress() {
        for (boolean enabled : new boolean[] {true, false}) {
            PagePool pool = pool(enabled, MemoryConfig.DEFAULT_MEMORY_POOL_SIZE);
            MemorySegment frame = pool.acquire();
            pool.release(frame);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.release(frame));
            assertTrue(e.getMessage().contains("0x" + Long.toHexString(frame.address())), e.getMessage());
            assertTrue(e.getMessage().contains("released twice"), e.getMessage());
            assertEquals(enabled ? FRAME : 0, pool.pooledBytes(), "the second release must change nothing");
        }
    }

    @Test
    void framesFromElsewhereOrOfTheWrongSizeAreRefused() {
        PagePool pool = pool(true, MemoryConfig.DEFAULT_MEMORY_POOL_SIZE);
        MemorySegment foreign = arena.allocate(FRAME);
        assertThrows(IllegalArgumentException.class, () -> pool.release(foreign));
        MemorySegment frame = pool.acquire();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.release(frame.asSlice(0, 4096)));
        assertTrue(e.getMessage().contains("4096 bytes"), e.getMessage());
        pool.release(frame);
        assertThrows(IllegalArgumentException.class, () -> new PagePool(arena, 1000, MemoryConfig.defaults()));
    }

    @Test
    void framesAreAlignedAndDistinct() {
        PagePool pool = pool(true, MemoryConfig.DEFAULT_MEMORY_POOL_SIZE);
        MemorySegment a = pool.acquire();
        MemorySegment b = pool.acquire();
        assertNotEquals(a.address(), b.address());
        assertEquals(0, a.address() % OffHeapArena.ALIGNMENT);
        assertEquals(0, b.address() % OffHeapArena.ALIGNMENT);
        assertEquals(FRAME, a.byteSize());
    }

    @Test
    void closingThePoolReturnsItsFreeFramesAndLateReleasesStillReachTheArena() {
        PagePool pool = pool(true, MemoryConfig.DEFAULT_MEMORY_POOL_SIZE);
        MemorySegment kept = pool.acquire();
        pool.release(pool.acquire());
        assertEquals(2 * FRAME, acc.allocatedBytes());
        pool.close();
        pool.close();
        assertEquals(FRAME, acc.allocatedBytes());
        assertEquals(0, acc.pooledBytes());
        IllegalStateException e = assertThrows(IllegalStateException.class, pool::acquire);
        assertTrue(e.getMessage().endsWith("is closed"), e.getMessage());
        pool.release(kept);
        assertEquals(0, acc.allocatedBytes());
    }

    @Test
    void closingTheArenaEmptiesItsPoolsAndTheCountersReturnToZero() {
        PagePool pool = pool(true, MemoryConfig.DEFAULT_MEMORY_POOL_SIZE);
        MemorySegment held = pool.acquire();
        pool.release(pool.acquire());
        arena.close();
        assertEquals(0, acc.pooledBytes());
        assertEquals(0, acc.allocatedBytes());
        assertEquals(0, acc.reservedBytes());
        assertThrows(IllegalStateException.class, pool::acquire);
        assertThrows(IllegalStateException.class, () -> pool.release(held));
    }
}
