package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.nativeio.Libc;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * Evicted frames released lazily ({@code MADV_FREE}) serve later misses on their pages without a
 * read, but only while they still hold the page as the file does: a frame the kernel took back, or
 * one changed since, is read from the file.
 */
class LazyReleaseTest {
    private static final int PAGES = 200;
    private static final int CACHE = 32;

    @Test
    void missesAreServedFromLazilyReleasedFramesWithTheFilesContents() throws Exception {
        try (PoolFixture f = PoolFixture.create(CacheConfig.defaults(), CACHE, PAGES)) {
            for (int pid = 1; pid < PAGES; pid++) {
                f.read(pid);
            }
            for (int pid = 1; pid < PAGES; pid += 2) {
                f.write(pid, 1, false); // dirty victims: written back, sealed in their frames, then released
            }
            long before = f.pool.rescues();
            for (int pid = 1; pid < PAGES; pid++) {
                f.read(pid);
                assertEquals(pid % 2 == 1 ? 1 : 0, f.version(pid), "page " + pid);
            }
            assertTrue(f.pool.rescues() - before > PAGES / 2, "most misses rescued, got " + (f.pool.rescues() - before));
        }
    }

    @Test
    void immediateReleaseNeverRescues() throws Exception {
        try (PoolFixture f = PoolFixture.create(CacheConfig.defaults().withLazyRelease(false), CACHE, PAGES)) {
            for (int round = 0; round < 2; round++) {
                for (int pid = 1; pid < PAGES; pid++) {
                    f.read(pid);
                }
            }
            assertEquals(0, f.pool.rescues());
            assertTrue(f.pool.faults() >= 2L * (PAGES - 1 - CACHE));
        }
    }

    @Test
    void aFrameTheKernelTookBackIsReadFromTheFile() throws Exception {
        try (PoolFixture f = PoolFixture.create(CacheConfig.defaults(), CACHE, PAGES)) {
            long pid = evictedAfterAPass(f);
            MemorySegment frame = f.pool.page(pid);
            int crc = frame.get(ValueLayout.JAVA_INT, PageFrames.CRC_OFFSET);
            Libc.madvise(frame, Libc.MADV_DONTNEED); // what reclaim does: the frame reads as zeros
            assertLoadedFromTheFile(f, pid);

            long other = evictedAfterAPass(f);
            frame = f.pool.page(other);
            crc = frame.get(ValueLayout.JAVA_INT, PageFrames.CRC_OFFSET);
            // Reclaimed between a rescue's read of the checksum word and its write of it back.
            Libc.madvise(frame, Libc.MADV_DONTNEED);
            frame.set(ValueLayout.JAVA_INT, PageFrames.CRC_OFFSET, crc);
            assertLoadedFromTheFile(f, other);
        }
    }

    @Test
    void aFrameChangedSinceItsReleaseIsReadFromTheFile() throws Exception {
        try (PoolFixture f = PoolFixture.create(CacheConfig.defaults(), CACHE, PAGES)) {
            long pid = evictedAfterAPass(f);
            MemorySegment frame = f.pool.page(pid);
            frame.set(ValueLayout.JAVA_BYTE, 1000, (byte) (frame.get(ValueLayout.JAVA_BYTE, 1000) ^ 1));
            assertLoadedFromTheFile(f, pid);
        }
    }

    /** Reads every page once, so the cache turns over; a page evicted by it (its frame released, not reused). */
    private static long evictedAfterAPass(PoolFixture f) throws Exception {
        for (int pid = 1; pid < PAGES; pid++) {
            f.read(pid);
        }
        for (long pid = 1; pid < PAGES; pid++) {
            if (!f.pool.isResident(pid)) {
                return pid;
            }
        }
        throw new AssertionError("a cache of " + CACHE + " pages held all " + PAGES);
    }

    private static void assertLoadedFromTheFile(PoolFixture f, long pid) throws Exception {
        assertFalse(f.pool.isResident(pid));
        long rescues = f.pool.rescues();
        long faults = f.pool.faults();
        f.read(pid); // checks the page's stamp
        assertEquals(0, f.version(pid), "page " + pid + " as the file holds it");
        assertEquals(rescues, f.pool.rescues(), "page " + pid + " was not rescued");
        assertEquals(faults + 1, f.pool.faults(), "page " + pid + " was read once");
    }
}
