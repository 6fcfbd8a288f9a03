package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lightningdb.testing.Seeds;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Heads order like the keys' first 8 bytes, unsigned and zero-padded, whichever form the key comes in. */
class KeyHeadsTest {
    private static final int PAIRS = 200_000;
    private static final int MAX_KEY_LENGTH = 12;
    /** Bytes where signed and unsigned order differ, plus zero (the padding byte). */
    private static final byte[] EDGE_BYTES = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0x81, (byte) 0xFE, (byte) 0xFF};

    /** A key of length 0..12, often built from edge bytes so that pairs share prefixes. */
    static byte[] randomKey(SplittableRandom r) {
        byte[] k = new byte[r.nextInt(MAX_KEY_LENGTH + 1)];
        boolean edges = r.nextBoolean();
        for (int i = 0; i < k.length; i++) {
            k[i] = edges ? EDGE_BYTES[r.nextInt(EDGE_BYTES.length)] : (byte) r.nextInt(256);
        }
        return k;
    }

    /** The second key of a pair: unrelated, a prefix, an extension, or one byte changed. */
    static byte[] relatedKey(SplittableRandom r, byte[] a) {
        return switch (r.nextInt(4)) {
            case 0 -> randomKey(r);
            case 1 -> Arrays.copyOf(a, r.nextInt(a.length + 1));
            case 2 -> Arrays.copyOf(a, a.length + 1 + r.nextInt(3)); // zero-padded extension
            default -> {
                byte[] b = a.clone();
                if (b.length > 0) {
                    b[r.nextInt(b.length)] = EDGE_BYTES[r.nextInt(EDGE_BYTES.length)];
                }
                yield b;
            }
        };
    }

    /** The reference: compare the first 8 bytes, zero-padded, as unsigned bytes. */
    static int referenceCompare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(Arrays.copyOf(a, KeyHeads.BYTES), 0, KeyHeads.BYTES,
                Arrays.copyOf(b, KeyHeads.BYTES), 0, KeyHeads.BYTES);
    }

    @Test
    void signedOrderOfHeadsIsUnsignedOrderOfPaddedPrefixes() {
        SplittableRandom r = Seeds.random("KeyHeadsTest.order");
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < PAIRS; i++) {
            byte[] a = randomKey(r);
            byte[] b = relatedKey(r, a);
            int expected = Integer.signum(referenceCompare(a, b));
            int actual = Integer.signum(Long.compare(KeyHeads.head(a), KeyHeads.head(b)));
            assertEquals(expected, actual, () -> "keys " + hex.formatHex(a) + " and " + hex.formatHex(b));
        }
    }

    @Test
    void arraySegmentAndSliceFormsAgree() {
        SplittableRandom r = Seeds.random("KeyHeadsTest.forms");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(64);
            for (int i = 0; i < 20_000; i++) {
                byte[] key = randomKey(r);
                long off = r.nextInt(64 - key.length + 1); // unaligned offsets included
                MemorySegment.copy(key, 0, buf, ValueLayout.JAVA_BYTE, off, key.length);
                long expected = KeyHeads.head(key);
                assertEquals(expected, KeyHeads.head(MemorySegment.ofArray(key)), "heap segment");
                assertEquals(expected, KeyHeads.head(buf.asSlice(off, key.length)), "native slice");
                assertEquals(expected, KeyHeads.head(buf, off, key.length), "segment, offset, length");
            }
        }
    }

    @Test
    void knownHeads() {
        assertEquals(Long.MIN_VALUE, KeyHeads.head(new byte[0]), "the empty key is the smallest head");
        assertEquals(Long.MIN_VALUE, KeyHeads.head(new byte[8]), "zero bytes pad like nothing");
        assertEquals(Long.MAX_VALUE, KeyHeads.head(filled(8, 0xFF)));
        assertEquals(Long.MAX_VALUE, KeyHeads.head(filled(20, 0xFF)), "bytes past the 8th are ignored");
        assertEquals(0L, KeyHeads.head(new byte[] {(byte) 0x80}), "0x80 is the middle of the byte range");
        assertEquals(0x0102030405060708L ^ Long.MIN_VALUE, KeyHeads.head(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        assertEquals(0x6162000000000000L ^ Long.MIN_VALUE, KeyHeads.head("ab".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(KeyHeads.head(new byte[] {'a', 'b'}), KeyHeads.head(new byte[] {'a', 'b', 0}),
                "a key and its zero-padded extension share a head: the caller compares full keys");
    }

    @Test
    void negativeLengthIsRefused() {
        MemorySegment key = MemorySegment.ofArray(new byte[8]);
        assertThrows(IllegalArgumentException.class, () -> KeyHeads.head(key, 0, -1));
    }

    @Test
    void fitClampsCountAndOffsetToThePage() {
        MemorySegment page = MemorySegment.ofArray(new byte[4096]);
        assertEquals(10, KeyHeads.fit(page, 0, 10));
        assertEquals(512, KeyHeads.fit(page, 0, Integer.MAX_VALUE));
        assertEquals(511, KeyHeads.fit(page, 3, 600), "4093 bytes hold 511 whole heads");
        assertEquals(0, KeyHeads.fit(page, 0, -5));
        assertEquals(0, KeyHeads.fit(page, 0, Integer.MIN_VALUE));
        assertEquals(0, KeyHeads.fit(page, 4090, 1), "6 bytes hold no head");
        assertEquals(0, KeyHeads.fit(page, 5000, 1), "offset past the end");
        assertEquals(0, KeyHeads.fit(page, -8, 1), "negative offset");
        assertEquals(0, KeyHeads.fit(page, Long.MIN_VALUE, 1));
        assertEquals(0, KeyHeads.fit(page, Long.MAX_VALUE, 1));
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
