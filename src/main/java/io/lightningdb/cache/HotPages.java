package io.lightningdb.cache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.LongConsumer;

/**
 * Hot-page pinning: per-page access counts kept by readers, and the hot partition, the pages
 * pinned because their count reached the threshold. Pinned pages are out of the policy's lists,
 * so nothing evicts them, and they never exceed {@code hotPartitionRatio} of the capacity.
 *
 * <p>Counting: readers must not write shared memory on every hit, so a hit is counted with
 * probability 1/2^k, k chosen so that reaching the threshold takes at least 16 counted hits (exact
 * counting, k = 0, for thresholds below 32). The count of a page is one byte, reset when the page
 * comes in, saturating at twice the units needed: once saturated a hot page costs no more writes.
 *
 * <p>Aging: the counts of unpinned pages halve every cache turnover (as many admissions as the
 * cache holds pages), so "hot" means about threshold accesses within a turnover or two. Pinned
 * pages age only when a newly hot page finds the partition full, at most once per turnover: their
 * counts halve, and those below the threshold go back to the policy. A long scan therefore cannot
 * unpin anything (it makes no page hot), while a shift of the hot set replaces the pinned pages.
 */
final class HotPages implements AutoCloseable {
    private static final int MIN_SAMPLED_UNITS = 16;
    private static final int MAX_UNITS = 64;

    private final MemorySegment counts;
    private final int sampleMask;
    private final int unitsToPin;
    private final int saturation;
    private final double ratio;
    private final PidRing pinned;
    private long cap;

    HotPages(long maxPages, int threshold, double ratio, long capacity) throws IOException {
        int sample = Integer.highestOneBit(Math.max(1, threshold / MIN_SAMPLED_UNITS));
        this.sampleMask = sample - 1;
        this.unitsToPin = (threshold + sample - 1) / sample;
        this.saturation = Math.min(MAX_UNITS, 2 * unitsToPin);
        this.ratio = ratio;
        this.cap = capFor(capacity);
        this.counts = Reservations.reserve(maxPages);
        this.pinned = new PidRing(cap + 1);
    }

    private long capFor(long capacity) {
        return (long) Math.floor(capacity * ratio);
    }

    /** A reader's hit; {@code random} is the reader's per-access random int (bits 8 and up are free). */
    void touch(long pid, int random) {
        if (((random >>> 8) & sampleMask) == 0) {
            int c = counts.get(ValueLayout.JAVA_BYTE, pid);
            if (c < saturation) {
                counts.set(ValueLayout.JAVA_BYTE, pid, (byte) (c + 1));
            }
        }
    }

    void reset(long pid) {
        counts.set(ValueLayout.JAVA_BYTE, pid, (byte) 0);
    }

    void halve(long pid) {
        int c = counts.get(ValueLayout.JAVA_BYTE, pid);
        if (c > 0) {
            counts.set(ValueLayout.JAVA_BYTE, pid, (byte) (c >> 1));
        }
    }

    /** The page's estimated accesses (counted units times the sampling interval). */
    long estimate(long pid) {
        return (long) counts.get(ValueLayout.JAVA_BYTE, pid) * (sampleMask + 1);
    }

    boolean qualifies(long pid) {
        return counts.get(ValueLayout.JAVA_BYTE, pid) >= unitsToPin;
    }

    boolean hasRoom() {
        return pinned.size() < cap;
    }

    void pin(long pid) {
        pinned.push(pid);
    }

    long size() {
        return pinned.size();
    }

    long cap() {
        return cap;
    }

    /** Halves the counts of pinned pages and hands those no longer hot to {@code unpinned}. */
    void agePinned(LongConsumer unpinned) {
        for (long i = pinned.size(); i > 0; i--) {
            long pid = pinned.pop();
            halve(pid);
            if (qualifies(pid)) {
                pinned.push(pid);
            } else {
                unpinned.accept(pid);
            }
        }
    }

    /** Sets the cap for a new capacity; when it shrinks below the pinned pages, the coldest go first. */
    void resize(long capacity, LongConsumer unpinned) {
        cap = capFor(capacity);
        for (int level = 0; level <= saturation && pinned.size() > cap; level++) {
            for (long i = pinned.size(); i > 0; i--) {
                long pid = pinned.pop();
                if (pinned.size() + 1 > cap && counts.get(ValueLayout.JAVA_BYTE, pid) <= level) {
                    unpinned.accept(pid);
                } else {
                    pinned.push(pid);
                }
            }
        }
    }

    long bytes() {
        return pinned.bytes();
    }

    @Override
    public void close() throws IOException {
        pinned.close();
        Reservations.release(counts);
    }
}
