package io.lightningdb.memory;

import io.lightningdb.testing.Seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlignedAllocationTest {
    private static final long SLAB = 1L << 20;
    private static final int ROUNDS = 300;

    @Test
    void everySegmentIsPageAlignedDistinctAndUsable() {
        checkRandomAllocations(OffHeapArena.builder().slabSize(SLAB).name("aligned-mmap"), "mmap");
    }

    @Test
    void thePortableJavaArenaBackingIsAlignedToo() {
        OffHeapArena.Builder b = OffHeapArena.builder().slabSize(SLAB).name("aligned-java")
                .source(new MappingSource.JavaArenas());
        checkRandomAllocations(b, "java");
    }

    private static void checkRandomAllocations(OffHeapArena.Builder builder, String label) {
        Random random = new Random(Seeds.seed("AlignedAllocationTest." + label));
        try (OffHeapArena arena = builder.build()) {
            List<MemorySegment> live = new ArrayList<>();
            long expectedAllocated = 0;
            for (int i = 0; i < ROUNDS; i++) {
                if (!live.isEmpty() && random.nextInt(3) == 0) {
                    MemorySegment s = live.remove(random.nextInt(live.size()));
                    expectedAllocated -= OffHeapArena.alignUp(s.byteSize());
                    arena.free(s);
                    continue;
                }
                long size = randomSize(random);
                MemorySegment s = arena.allocate(size);
                assertEquals(0, s.address() % OffHeapArena.ALIGNMENT, () -> "misaligned 0x" + Long.toHexString(s.address()));
                assertEquals(size, s.byteSize());
                s.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
                s.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 2);
                live.add(s);
                expectedAllocated += OffHeapArena.alignUp(size);
                assertEquals(expectedAllocated, arena.accounting().allocatedBytes());
            }
            assertNoOverlap(live);
            Collections.shuffle(live, random);
            for (MemorySegment s : live) {
                arena.free(s);
            }
            assertEquals(0, arena.accounting().allocatedBytes());
        }
    }

    /** Mostly sub-page and few-page sizes, some crossing the dedicated-mapping threshold. */
    private static long randomSize(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> 1 + random.nextInt(4096);
            case 1 -> OffHeapArena.ALIGNMENT * (1 + random.nextInt(16));
            case 2 -> 1 + random.nextInt(200_000);
            default -> 1 + random.nextInt((int) SLAB);
        };
    }

    private static void assertNoOverlap(List<MemorySegment> live) {
        List<MemorySegment> sorted = new ArrayList<>(live);
        sorted.sort(Comparator.comparingLong(MemorySegment::address));
        for (int i = 1; i < sorted.size(); i++) {
            MemorySegment prev = sorted.get(i - 1);
            long prevEnd = prev.address() + OffHeapArena.alignUp(prev.byteSize());
            assertTrue(prevEnd <= sorted.get(i).address(), "segments overlap at 0x" + Long.toHexString(prev.address()));
        }
    }

    @Test
    void sizesAreValidated() {
        try (OffHeapArena arena = OffHeapArena.builder().build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> arena.allocate(0));
            assertTrue(e.getMessage().contains("byteSize"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(-1));
            assertThrows(IllegalArgumentException.class, () -> arena.allocate(Long.MAX_VALUE));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OffHeapArena.builder().slabSize(5000));
        assertTrue(e.getMessage().contains("slabSize"), e.getMessage());
    }

    @Test
    void freeingSomethingTheArenaDidNotHandOutNamesTheAddress() {
        try (OffHeapArena arena = OffHeapArena.builder().build()) {
            MemorySegment s = arena.allocate(8192);
            IllegalArgumentException slice = assertThrows(IllegalArgumentException.class, () -> arena.free(s.asSlice(0, 4096)));
            assertTrue(slice.getMessage().contains("8192 were allocated"), slice.getMessage());
            arena.free(s);
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> arena.free(s));
            assertTrue(twice.getMessage().contains(Long.toHexString(s.address())), twice.getMessage());
            assertTrue(twice.getMessage().contains("already freed"), twice.getMessage());
        }
    }
}
