package io.lightningdb.btree;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Key heads: the first 8 bytes of a key as one {@code long} whose SIGNED order is the keys'
 * unsigned lexicographic order. A node stores one head per key, contiguously, so a search compares
 * longs instead of byte arrays and only goes to the full keys when heads are equal.
 *
 * <p>A head is the key's first 8 bytes read big-endian (a key shorter than 8 bytes is padded with
 * zero bytes), with the sign bit flipped: big-endian makes the first byte the most significant,
 * and the flip turns unsigned long order into signed order, which is what both {@code <} and the
 * Vector API compare. Equal heads mean equal 8-byte prefixes, or that one key is the other's
 * prefix padded with zeros ({@code "ab"} and {@code "ab\0"}): the caller then compares full keys.
 *
 * {@snippet class=io.lightningdb.btree.BTreeExamples region="heads"}
 */
public final class KeyHeads {
    /** Bytes per head, and the number of key bytes a head holds. */
    public static final int BYTES = Long.BYTES;
    /** How heads are stored in a page: native byte order, any alignment. */
    public static final ValueLayout.OfLong LAYOUT = ValueLayout.JAVA_LONG_UNALIGNED;

    /** XORed into the unsigned big-endian prefix so that signed comparison orders it. */
    private static final long SIGN_FLIP = Long.MIN_VALUE;
    private static final int BITS_PER_BYTE = 8;
    private static final int BYTE_MASK = 0xFF;
    /** Shift of a key's first byte: it lands in the most significant byte. */
    private static final int FIRST_BYTE_SHIFT = (BYTES - 1) * BITS_PER_BYTE;
    private static final ValueLayout.OfLong BIG_ENDIAN_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_ENDIAN_ARRAY_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private KeyHeads() {}

    /** The head of a key of any length, 0 included. */
    public static long head(byte[] key) {
        if (key.length >= BYTES) {
            return (long) BIG_ENDIAN_ARRAY_LONG.get(key, 0) ^ SIGN_FLIP;
        }
        long prefix = 0;
        for (int i = 0; i < key.length; i++) {
            prefix |= (long) (key[i] & BYTE_MASK) << (FIRST_BYTE_SHIFT - i * BITS_PER_BYTE);
        }
        return prefix ^ SIGN_FLIP;
    }

    /** The head of a key that is the whole segment (any length, 0 included). */
    public static long head(MemorySegment key) {
        return head(key, 0, (int) Math.min(key.byteSize(), BYTES));
    }

    /**
     * The head of the {@code len}-byte key at {@code off} in {@code seg}; only the first
     * {@code min(len, 8)} bytes are read.
     *
     * @throws IllegalArgumentException if {@code len} is negative
     * @throws IndexOutOfBoundsException if those bytes are not inside {@code seg}
     */
    public static long head(MemorySegment seg, long off, int len) {
        if (len >= BYTES) {
            return seg.get(BIG_ENDIAN_LONG, off) ^ SIGN_FLIP;
        }
        if (len < 0) {
            throw new IllegalArgumentException("key length must be >= 0, got " + len);
        }
        long prefix = 0;
        for (int i = 0; i < len; i++) {
            prefix |= (long) (seg.get(ValueLayout.JAVA_BYTE, off + i) & BYTE_MASK) << (FIRST_BYTE_SHIFT - i * BITS_PER_BYTE);
        }
        return prefix ^ SIGN_FLIP;
    }

    /**
     * How many of {@code count} heads at {@code headsOffset} lie inside {@code page}: {@code count}
     * clamped to {@code [0, (page.byteSize() - headsOffset) / 8]}, and 0 when {@code headsOffset}
     * is outside the page. Searches clamp with it, so a count or offset read from a page a writer
     * is changing can never make them read outside the page.
     */
    public static int fit(MemorySegment page, long headsOffset, int count) {
        long room = headsOffset < 0 ? 0 : (page.byteSize() - headsOffset) / BYTES;
        return (int) Math.max(0, Math.min(count, room));
    }
}
