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

    /**
     * A 16 KiB page spans four OS pages, which the kernel takes back one by one: a frame missing any
     * of them is no rescue, an intact one is, and so is the same frame once rescued (kept).
     */
    @Test
    void aLargePageMissingOneOfItsOsPagesIsNoRescue() throws Exception {
        int shift = 14;
        int page = 1 << shift;
        MemorySegment region = Libc.mmap(8L * page, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, null);
        try (LazyRelease r = new LazyRelease(true, region, shift, 8)) {
            for (int pid = 0; pid < 8; pid++) {
                MemorySegment p = region.asSlice((long) pid << shift, page);
                for (long off = PageFrames.PAYLOAD_OFFSET; off < page; off++) {
                    p.set(ValueLayout.JAVA_BYTE, off, (byte) (pid * 31 + off));
                }
                PageFrames.seal(p);
            }
            r.releaseAll(new long[] {1, 2, 3, 4}, 4);
            // Pages 2, 3, 4: the kernel took their second, last and every OS page back.
            Libc.madvise(region.asSlice((2L << shift) + 4096, 4096), Libc.MADV_DONTNEED);
            Libc.madvise(region.asSlice((3L << shift) + page - 4096, 4096), Libc.MADV_DONTNEED);
            Libc.madvise(region.asSlice(4L << shift, page), Libc.MADV_DONTNEED);
            assertTrue(r.rescue(region.asSlice(1L << shift, page)), "an intact frame is rescued");
            assertTrue(r.rescue(region.asSlice(1L << shift, page)), "and stays so");
            assertFalse(r.rescue(region.asSlice(2L << shift, page)), "a frame missing its second OS page");
            assertFalse(r.rescue(region.asSlice(3L << shift, page)), "a frame missing its last OS page");
            assertFalse(r.rescue(region.asSlice(4L << shift, page)), "a frame of zeros");
            assertEquals(2, r.rescued());
        } finally {
            Libc.munmap(region);
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
