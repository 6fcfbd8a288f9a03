package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lightningdb.testing.Seeds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scalar and vector searches against a linear scan, on sorted heads of every shape (runs of equal
 * heads, heads of short keys, the extreme longs) at unaligned offsets and at the very end of the
 * page, and on garbage, where only "in range, no exception" is promised.
 */
class KeySearchAgreementTest {
    private static final int SMALL_PAGE = 4096;
    private static final int MAX_SMALL_COUNT = 64;
    private static final int ARRAYS_PER_COUNT = 150;
    private static final int[] PAGE_SIZES = {4096, 8192, 16384, 65536};
    private static final long[] ODD_OFFSETS = {0, 3, 13};
    private static final long[] EXTREMES = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE};

    private static List<KeySearch> searches;
    private final Arena arena = Arena.ofConfined();

    @BeforeAll
    static void bothImplementations() {
        KeySearch vector = KeySearch.select(true);
        assertTrue(vector instanceof VectorKeySearch, "the test JVM has the vector module: " + vector.name());
        searches = List.of(KeySearch.select(false), vector);
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }

    static int referenceLowerBound(long[] heads, long probe) {
        int i = 0;
        while (i < heads.length && heads[i] < probe) {
            i++;
        }
        return i;
    }

    static int referenceUpperBound(long[] heads, long probe) {
        int i = 0;
        while (i < heads.length && heads[i] <= probe) {
            i++;
        }
        return i;
    }

    /** Sorted heads of one of several shapes; shapes with few distinct values make runs of equals. */
    static long[] sortedHeads(SplittableRandom r, int count, int shape) {
        long[] h = new long[count];
        switch (shape) {
            case 0 -> fill(h, r::nextLong);
            case 1 -> { // runs: 1 to 4 distinct values
                long[] values = new long[1 + r.nextInt(4)];
                fill(values, r::nextLong);
                fill(h, () -> values[r.nextInt(values.length)]);
            }
            case 2 -> fill(h, () -> KeyHeads.head(KeyHeadsTest.randomKey(r))); // short keys: padding, shared prefixes
            case 3 -> fill(h, () -> EXTREMES[r.nextInt(EXTREMES.length)]);
            case 4 -> Arrays.fill(h, r.nextBoolean() ? EXTREMES[r.nextInt(EXTREMES.length)] : r.nextLong());
            default -> { // dense: consecutive values, so probe +- 1 lands on neighbours
                long start = r.nextLong();
                fill(h, () -> start + r.nextInt(Math.max(1, count)));
            }
        }
        Arrays.sort(h);
        return h;
    }

    private static final int SHAPES = 6;

    private static void fill(long[] a, Supplier<Long> s) {
        for (int i = 0; i < a.length; i++) {
            a[i] = s.get();
        }
    }

    static void write(MemorySegment page, long headsOffset, long[] heads) {
        for (int i = 0; i < heads.length; i++) {
            page.set(KeyHeads.LAYOUT, headsOffset + (long) i * KeyHeads.BYTES, heads[i]);
        }
    }

    /** Every head, its neighbours, the extremes and a few random probes: both bounds, both searches. */
    static void checkAllProbes(MemorySegment page, long headsOffset, long[] heads, SplittableRandom r) {
        for (long head : heads) {
            check(page, headsOffset, heads, head);
            check(page, headsOffset, heads, head - 1);
            check(page, headsOffset, heads, head + 1);
        }
        for (long e : EXTREMES) {
            check(page, headsOffset, heads, e);
        }
        for (int i = 0; i < 4; i++) {
            check(page, headsOffset, heads, r.nextLong());
        }
    }

    static void check(MemorySegment page, long headsOffset, long[] heads, long probe) {
        int lower = referenceLowerBound(heads, probe);
        int upper = referenceUpperBound(heads, probe);
        for (KeySearch s : searches) {
            int l = s.lowerBound(page, headsOffset, heads.length, probe);
            int u = s.upperBound(page, headsOffset, heads.length, probe);
            if (l != lower || u != upper) {
                fail(s.name() + ": lowerBound " + l + " (expected " + lower + "), upperBound " + u + " (expected " + upper
                        + ") for probe " + probe + ", count " + heads.length + ", headsOffset " + headsOffset
                        + ", page " + page.byteSize() + " bytes, heads " + Arrays.toString(heads));
            }
        }
    }

    @Test
    void exhaustiveForSmallCounts() {
        SplittableRandom r = Seeds.random("KeySearchAgreementTest.small");
        MemorySegment page = arena.allocate(SMALL_PAGE, SMALL_PAGE);
        for (int count = 0; count <= MAX_SMALL_COUNT; count++) {
            // Unaligned offsets, and flush against the end so any read past the heads would throw.
            long[] offsets = {0, 3, 13, SMALL_PAGE - (long) count * KeyHeads.BYTES, SMALL_PAGE - (long) count * KeyHeads.BYTES - 5};
            for (int a = 0; a < ARRAYS_PER_COUNT; a++) {
                long[] heads = sortedHeads(r, count, a % SHAPES);
                long off = offsets[a % offsets.length];
                write(page, off, heads);
                checkAllProbes(page, off, heads, r);
            }
        }
    }

    @Test
    void largeCountsUpToAFullPage() {
        SplittableRandom r = Seeds.random("KeySearchAgreementTest.large");
        for (int pageSize : PAGE_SIZES) {
            MemorySegment page = arena.allocate(pageSize, SMALL_PAGE);
            for (long off : ODD_OFFSETS) {
                int max = KeyHeads.fit(page, off, Integer.MAX_VALUE);
                for (int count : new int[] {max, max - 1, 1 + r.nextInt(max), Math.min(max, 65 + r.nextInt(1024 - 65))}) {
                    for (int shape = 0; shape < SHAPES; shape++) {
                        long[] heads = sortedHeads(r, count, shape);
                        write(page, off, heads);
                        for (int p = 0; p < 200; p++) {
                            check(page, off, heads, p % 2 == 0 ? heads[r.nextInt(count)] : r.nextLong());
                        }
                        for (long e : EXTREMES) {
                            check(page, off, heads, e);
                        }
                    }
                }
            }
        }
    }

    @Test
    void garbageNeverThrowsAndStaysInRange() {
        SplittableRandom r = Seeds.random("KeySearchAgreementTest.garbage");
        for (int pageSize : PAGE_SIZES) {
            MemorySegment page = arena.allocate(pageSize, SMALL_PAGE);
            byte[] noise = new byte[pageSize];
            for (int round = 0; round < 200; round++) {
                r.nextBytes(noise);
                MemorySegment.copy(MemorySegment.ofArray(noise), 0, page, 0, pageSize);
                long off = switch (round % 4) {
                    case 0 -> r.nextLong(pageSize + 1);
                    case 1 -> pageSize - r.nextInt(64); // a few heads or none at the end
                    case 2 -> r.nextInt(16);
                    default -> r.nextLong(); // nonsense, even negative
                };
                int fit = KeyHeads.fit(page, off, Integer.MAX_VALUE);
                int[] counts = {fit, r.nextInt(fit + 1), fit + 1 + r.nextInt(1000), -1 - r.nextInt(1000),
                        Integer.MAX_VALUE, Integer.MIN_VALUE, r.nextInt()};
                for (int count : counts) {
                    int bound = KeyHeads.fit(page, off, count);
                    for (int p = 0; p < 20; p++) {
                        long probe = p < EXTREMES.length ? EXTREMES[p] : r.nextLong();
                        for (KeySearch s : searches) {
                            int l = s.lowerBound(page, off, count, probe);
                            int u = s.upperBound(page, off, count, probe);
                            String where = s.name() + " at headsOffset " + off + ", count " + count + ", probe " + probe;
                            assertTrue(l >= 0 && l <= bound, where + ": lowerBound " + l + " outside [0, " + bound + "]");
                            assertTrue(u >= 0 && u <= bound, where + ": upperBound " + u + " outside [0, " + bound + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void heapSegmentsGiveTheSameAnswers() {
        SplittableRandom r = Seeds.random("KeySearchAgreementTest.heap");
        for (int count : new int[] {0, 5, 16, 17, 300}) {
            long[] heads = sortedHeads(r, count, 1);
            // long[]-backed: the vector search cannot load from it and must fall back, not throw.
            MemorySegment longs = MemorySegment.ofArray(heads.clone());
            MemorySegment bytes = MemorySegment.ofArray(new byte[count * KeyHeads.BYTES + 3]);
            write(bytes, 3, heads);
            for (long probe : new long[] {heads.length > 0 ? heads[count / 2] : 0, r.nextLong(), Long.MIN_VALUE, Long.MAX_VALUE}) {
                check(longs, 0, heads, probe);
                check(bytes, 3, heads, probe);
            }
        }
    }

    @Test
    void upperBoundMinusLowerBoundCountsEqualHeads() {
        MemorySegment page = arena.allocate(SMALL_PAGE, SMALL_PAGE);
        long[] heads = new long[40];
        Arrays.fill(heads, 0, 10, -7);
        Arrays.fill(heads, 10, 35, 42);
        Arrays.fill(heads, 35, 40, Long.MAX_VALUE);
        write(page, 13, heads);
        for (KeySearch s : searches) {
            assertEquals(10, s.lowerBound(page, 13, 40, 42), s.name());
            assertEquals(35, s.upperBound(page, 13, 40, 42), s.name());
            assertEquals(35, s.lowerBound(page, 13, 40, Long.MAX_VALUE), s.name());
            assertEquals(40, s.upperBound(page, 13, 40, Long.MAX_VALUE), s.name());
            assertEquals(0, s.upperBound(page, 13, 40, Long.MIN_VALUE), s.name());
        }
    }
}
