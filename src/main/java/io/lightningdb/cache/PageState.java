package io.lightningdb.cache;

/**
 * The 64-bit page state word: the top 8 bits are the state, the low 56 bits the version, which
 * every exclusive unlock increments. Zero is EVICTED with version 0, so a fresh (zero-filled)
 * state array says "nothing is resident".
 */
final class PageState {
    static final long EVICTED = 0;
    static final long UNLOCKED = 1;
    /**
     * Unlocked and not referenced: the reference bit of CLOCK and ARC, cleared by the policy's
     * hand (or at admission under scan resistance), set again by the next reader's CAS back to
     * UNLOCKED. A page still MARKED when the hand comes back is a candidate for eviction.
     */
    static final long MARKED = 2;
    static final long LOCKED = 3;

    private static final int STATE_SHIFT = 56;
    static final long VERSION_MASK = (1L << STATE_SHIFT) - 1;

    private PageState() {}

    static long state(long word) {
        return word >>> STATE_SHIFT;
    }

    static long version(long word) {
        return word & VERSION_MASK;
    }

    static long make(long state, long version) {
        return state << STATE_SHIFT | (version & VERSION_MASK);
    }

    /** Whether an optimistic read that began at {@code word} may proceed (the page is resident and unlocked). */
    static boolean readable(long word) {
        long s = state(word);
        return s == UNLOCKED || s == MARKED;
    }
}
