package io.lightningdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void keysAreFixedWidthUniqueAndTellTheirNumber() {
        SplittableRandom r = Seeds.random("keysAreFixedWidthUniqueAndTellTheirNumber");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            long n = i < 10_000 ? i : r.nextLong();
            assertEquals(n, Keys.unscramble(Keys.scramble(n)));
            byte[] k = Keys.key(n);
            assertEquals(Keys.KEY_LENGTH, k.length);
            assertTrue(Keys.text(k).matches("user[0-9]{20}"), Keys.text(k));
            assertEquals(n, Keys.index(k));
            assertTrue(seen.add(Keys.text(k)));
        }
        // Fixed width: byte order is the numeric order of the hashed numbers.
        long a = Keys.scramble(1), b = Keys.scramble(2);
        assertEquals(Long.compareUnsigned(a, b) < 0, Arrays.compareUnsigned(Keys.key(1), Keys.key(2)) < 0);
        assertEquals(-1, Keys.index("userzzzzzzzzzzzzzzzzzzzz".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-1, Keys.index("user1".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(-1, Keys.index("xser00000000000000000001".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void valuesAreCheckedAgainstTheirKey() {
        byte[] v = Keys.value(42, 7, 100);
        assertNull(Keys.check(42, v, 100));
        assertNull(Keys.check(42, Keys.value(42, -3, 100), 100));
        assertEquals("value belongs to key number 42, read under number 43", Keys.check(43, v, 100));
        assertEquals("value of 100 bytes, expected 101", Keys.check(42, v, 101));
        byte[] bad = v.clone();
        bad[77] ^= 1;
        assertEquals("value corrupt at byte 77", Keys.check(42, bad, 100));
        assertArrayEquals(v, Keys.value(42, 7, 100));
        assertNull(Keys.check(5, Keys.value(5, 1, 16), 16));
    }

    @Test
    void zipfianFavoursLowRanksAndStaysInRange() {
        SplittableRandom r = Seeds.random("zipfianFavoursLowRanksAndStaysInRange");
        Zipfian z = new Zipfian(1000, Zipfian.YCSB_CONSTANT);
        long[] counts = new long[1000];
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[(int) z.rank(r.nextDouble())]++;
        }
        // P(rank 0) = 1 / zeta(1000, 0.99), about 13%; rank 1 about half of that.
        double p0 = 1 / Zipfian.zeta(1000, 0.99);
        assertEquals(p0, counts[0] / (double) draws, 0.01);
        assertTrue(counts[0] > counts[1] && counts[1] > counts[10] && counts[10] > counts[500], Arrays.toString(
                Arrays.copyOf(counts, 12)));
        for (int i = 0; i < 10_000; i++) {
            long s = z.scrambled(r.nextDouble());
            assertTrue(s >= 0 && s < 1000, "scrambled " + s);
        }
        assertEquals(0, new Zipfian(1, 0.99).rank(0.999));
        assertTrue(new Zipfian(2, 0.99).rank(0.999) <= 1);
    }

    @Test
    void zetaTailApproximationMatchesTheExactSum() {
        long n = 3_000_000;
        double exact = 0;
        for (long i = 1; i <= n; i++) {
            exact += 1 / Math.pow(i, 0.99);
        }
        assertEquals(exact, Zipfian.zeta(n, 0.99), exact * 1e-9);
    }

    @Test
    void insertTrackerLimitWaitsForEveryEarlierInsert() {
        InsertTracker t = new InsertTracker(10);
        long a = t.claim(), b = t.claim(), c = t.claim();
        assertEquals(10, a);
        t.done(c);
        t.done(b);
        assertEquals(10, t.limit());
        t.done(a);
        assertEquals(13, t.limit());
    }
}
