package io.lightningdb.cache;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The page-state words ({@link PageState}), one per page of the file: the buffer pool latches
 * pages through them and the replacement policies read and flip their reference mark.
 */
final class StateTable {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private final MemorySegment words;

    StateTable(MemorySegment words) {
        this.words = words;
    }

    MemorySegment segment() {
        return words;
    }

    long word(long pid) {
        return (long) WORD.getAcquire(words, pid << 3);
    }

    boolean cas(long pid, long expect, long update) {
        return WORD.compareAndSet(words, pid << 3, expect, update);
    }

    void publish(long pid, long word) {
        WORD.setRelease(words, pid << 3, word);
    }

    /** Takes the latch of a resident, unlocked page for eviction; false if it is latched or gone. */
    boolean tryLatch(long pid, long word) {
        return PageState.readable(word) && cas(pid, word, PageState.make(PageState.LOCKED, word));
    }
}
