package io.lightningdb.testing;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Byte strings for tests: ASCII text, and reproducible random contents. */
public final class TestBytes {
    private TestBytes() {}

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code len} random bytes, the same for the same seed. */
    public static byte[] filled(int len, int seed) {
        byte[] b = new byte[len];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
