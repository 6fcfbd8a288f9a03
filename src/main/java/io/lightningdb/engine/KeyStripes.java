package io.lightningdb.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Locks by key hash, held by a plain writer from before its log append until its tree change is
 * done: two writers of one key then log and apply in the same order, which is what replay needs
 * (writes of different keys commute). A batch takes the stripes of all its keys in ascending
 * order, so writers never wait for each other in a cycle. Writers of different stripes share
 * nothing here; on the tree they meet only where they touch the same leaf.
 */
final class KeyStripes {
    /** Power of two; with this many, two writers of different keys share a stripe 1 time in 4096. */
    static final int STRIPES = 4096;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    KeyStripes() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /** The stripe of {@code key}. */
    static int of(MemorySegment key) {
        long n = key.byteSize();
        long h = n;
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            h = (h ^ key.get(ValueLayout.JAVA_LONG_UNALIGNED, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < n; i++) {
            h = (h ^ key.get(ValueLayout.JAVA_BYTE, i)) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 29)) & (STRIPES - 1);
    }

    /** The distinct stripes of {@code keys}, ascending: the order a batch takes them in. */
    static int[] of(List<byte[]> keys) {
        int[] s = new int[keys.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = of(MemorySegment.ofArray(keys.get(i)));
        }
        Arrays.sort(s);
        int distinct = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[distinct++] = s[i];
            }
        }
        return Arrays.copyOf(s, distinct);
    }

    void lock(int stripe) {
        locks[stripe].lock();
    }

    void unlock(int stripe) {
        locks[stripe].unlock();
    }

    void lockAll(int[] ascending) {
        for (int s : ascending) {
            locks[s].lock();
        }
    }

    void unlockAll(int[] ascending) {
        for (int i = ascending.length - 1; i >= 0; i--) {
            locks[ascending[i]].unlock();
        }
    }
}
