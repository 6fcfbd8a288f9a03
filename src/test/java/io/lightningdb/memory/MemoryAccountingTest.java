package io.lightningdb.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryAccountingTest {
    private static final long PAGE = OffHeapArena.ALIGNMENT;
    private static final long SLAB = 1L << 20;
    /** Largest request still carved from a slab (slab / 4). */
    private static final long LARGEST_CARVED = SLAB / 4;

    private static OffHeapArena arena(MemoryAccounting accounting) {
        return OffHeapArena.builder().slabSize(SLAB).accounting(accounting).name("accounting-test").build();
    }

    @Test
    void countsAreExactForSlabAndDedicatedAllocations() {
        MemoryAccounting acc = new MemoryAccounting();
        try (OffHeapArena arena = arena(acc)) {
            MemorySegment one = arena.allocate(1);
            assertCounters(acc, SLAB, PAGE, 1, 0, 1, 0);

            MemorySegment twoPages = arena.allocate(PAGE + 1);
            assertCounters(acc, SLAB, 3 * PAGE, 2, 0, 1, 0);

            long dedicatedSize = 300_000; // above slab / 4: a mapping of its own, rounded to 74 pages
            MemorySegment dedicated = arena.allocate(dedicatedSize);
            long dedicatedHeld = 74 * PAGE;
            assertCounters(acc, SLAB + dedicatedHeld, 3 * PAGE + dedicatedHeld, 3, 0, 2, 0);
            assertEquals(SLAB + dedicatedHeld, acc.peakReservedBytes());

            arena.free(dedicated);
            assertCounters(acc, SLAB, 3 * PAGE, 3, 1, 2, 1);
            arena.free(one);
            arena.free(twoPages);
            // The emptied slab stays mapped as the spare, until trim().
            assertCounters(acc, SLAB, 0, 3, 3, 2, 1);
            assertEquals(SLAB, arena.trim());
            assertCounters(acc, 0, 0, 3, 3, 2, 2);
        }
        assertEquals(0, acc.reservedBytes());
    }

    @Test
    void aFullSlabLeadsToASecondAndOnlyOneEmptySlabIsKept() {
        MemoryAccounting acc = new MemoryAccounting();
        try (OffHeapArena arena = arena(acc)) {
            List<MemorySegment> first = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                first.add(arena.allocate(LARGEST_CARVED)); // exactly fills the 1 MiB slab
            }
            assertEquals(SLAB, acc.reservedBytes());
            MemorySegment overflow = arena.allocate(PAGE);
            assertEquals(2 * SLAB, acc.reservedBytes());
            assertEquals(2, acc.mappings());

            first.forEach(arena::free); // first slab empties: kept as the spare
            assertEquals(2 * SLAB, acc.reservedBytes());
            arena.free(overflow);       // second slab empties: a spare exists, so it is unmapped
            assertEquals(SLAB, acc.reservedBytes());
            assertEquals(1, acc.unmappings());

            MemorySegment again = arena.allocate(PAGE); // served by the spare, no new mapping
            assertEquals(2, acc.mappings());
            assertEquals(PAGE, acc.allocatedBytes());
            arena.free(again);
        }
        assertEquals(acc.mappings(), acc.unmappings());
    }

    @Test
    void arenasSharingAccountingAddUp() {
        MemoryAccounting acc = new MemoryAccounting();
        OffHeapArena a = arena(acc);
        try (OffHeapArena b = arena(acc)) {
            try {
                a.allocate(PAGE);
                b.allocate(3 * PAGE);
                MemoryAccounting.Snapshot s = acc.snapshot();
                assertEquals(2 * SLAB, s.reservedBytes());
                assertEquals(4 * PAGE, s.allocatedBytes());
                assertEquals(4 * PAGE, s.inUseBytes());
                assertEquals(2, s.allocations());
            } finally {
                a.close();
            }
            assertEquals(SLAB, acc.reservedBytes());
            assertEquals(3 * PAGE, acc.allocatedBytes());
        }
        assertEquals(0, acc.allocatedBytes());
    }

    @Test
    void closeReturnsEveryByteAndTheMappingsAreReallyGone() {
        MemoryAccounting acc = new MemoryAccounting();
        OffHeapArena arena = arena(acc);
        List<MemorySegment> segments = new ArrayList<>();
        long touched = 0;
        for (int i = 0; i < 8; i++) {
            segments.add(arena.allocate(8L << 20)); // dedicated mappings
            segments.add(arena.allocate(PAGE * (i + 1))); // slab pages
        }
        for (MemorySegment s : segments) {
            for (long off = 0; off < s.byteSize(); off += PAGE) {
                s.set(ValueLayout.JAVA_BYTE, off, (byte) 7); // fault every page in: it counts in VmRSS
            }
            touched += s.byteSize();
            assertTrue(ProcSelf.isMapped(s.address(), s.byteSize()), "not in /proc/self/maps before close");
        }
        assertTrue(acc.reservedBytes() >= touched);
        long rssBefore = ProcSelf.statusBytes("VmRSS");

        arena.close();

        assertEquals(0, acc.reservedBytes());
        assertEquals(0, acc.allocatedBytes());
        assertEquals(acc.mappings(), acc.unmappings());
        for (MemorySegment s : segments) {
            assertTrue(ProcSelf.isUnmapped(s.address(), s.byteSize()),
                    "0x" + Long.toHexString(s.address()) + " still in /proc/self/maps after close");
        }
        long rssDrop = rssBefore - ProcSelf.statusBytes("VmRSS");
        // Other JVM threads may grow RSS meanwhile; most of what we touched must still be gone.
        assertTrue(rssDrop >= touched * 3 / 4, "VmRSS dropped by " + rssDrop + ", touched " + touched);
    }

    @Test
    void useAfterCloseIsAnIllegalStateNotACrash() {
        OffHeapArena arena = arena(new MemoryAccounting());
        MemorySegment s = arena.allocate(PAGE);
        arena.close();
        arena.close(); // idempotent
        assertTrue(arena.isClosed());
        IllegalStateException alloc = assertThrows(IllegalStateException.class, () -> arena.allocate(PAGE));
        assertTrue(alloc.getMessage().endsWith("is closed"), alloc.getMessage());
        IllegalStateException free = assertThrows(IllegalStateException.class, () -> arena.free(s));
        assertTrue(free.getMessage().contains("accounting-test is closed"), free.getMessage());
        assertThrows(IllegalStateException.class, arena::trim);
        // The segment's scope closed with the arena: FFM refuses the access before it reaches unmapped memory.
        assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_LONG, 0));
    }

    private static void assertCounters(MemoryAccounting acc, long reserved, long allocated, long allocations,
            long frees, long mappings, long unmappings) {
        MemoryAccounting.Snapshot s = acc.snapshot();
        assertEquals(reserved, s.reservedBytes(), "reserved " + s);
        assertEquals(allocated, s.allocatedBytes(), "allocated " + s);
        assertEquals(allocations, s.allocations(), "allocations " + s);
        assertEquals(frees, s.frees(), "frees " + s);
        assertEquals(mappings, s.mappings(), "mappings " + s);
        assertEquals(unmappings, s.unmappings(), "unmappings " + s);
        assertEquals(0, s.pooledBytes());
    }
}
