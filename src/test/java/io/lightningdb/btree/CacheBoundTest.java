package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.cache.CacheConfig;
import io.lightningdb.io.IoConfig;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.testing.TestDirs;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The buffer pool's memory is what the kernel says is resident in its reservation
 * (/proc/self/smaps), not what the pool believes: it must stay within cacheSize while the data is
 * many times larger, and eviction must really give pages back (madvise): at once, or lazily, so that
 * the kernel counts them as {@code LazyFree} and may take them whenever it needs memory.
 */
class CacheBoundTest {
    /** Resident bytes of the mapping that starts at {@code base}, from /proc/self/smaps. */
    static long residentBytes(long base) throws Exception {
        return smapsBytes(base, "Rss:");
    }

    /**
     * Resident bytes of the mapping at {@code base} that the kernel may not take back at will:
     * {@code Rss} less {@code LazyFree} (pages given back with MADV_FREE and not written since).
     */
    static long heldBytes(long base) throws Exception {
        return smapsBytes(base, "Rss:") - smapsBytes(base, "LazyFree:");
    }

    /** What the pool holds for sure: all it has resident, or, releasing lazily, all but what the kernel may take. */
    private static long held(BufferPool pool, boolean lazy) throws Exception {
        long base = pool.page(0).address();
        return lazy ? heldBytes(base) : residentBytes(base);
    }

    private static long smapsBytes(long base, String field) throws Exception {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            int dash = l.indexOf('-');
            if (dash <= 0 || l.indexOf(' ') < dash) {
                continue;
            }
            long lo;
            try {
                lo = Long.parseUnsignedLong(l.substring(0, dash), 16);
            } catch (NumberFormatException notAHeader) {
                continue;
            }
            if (lo != base) {
                continue;
            }
            for (int j = i + 1; j < lines.size() && !lines.get(j).contains("-"); j++) {
                if (lines.get(j).startsWith(field)) {
                    return Long.parseLong(lines.get(j).substring(field.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
            throw new AssertionError("no " + field + " for the mapping at 0x" + Long.toHexString(base));
        }
        throw new AssertionError("no mapping starts at 0x" + Long.toHexString(base));
    }

    /**
     * 1 MiB: too small for huge pages from the start. 6 MiB: huge pages until the file outgrows
     * the cache, then small pages; either way the kernel-resident memory must stay bounded.
     */
    @ParameterizedTest
    @CsvSource({"1048576, true", "6291456, true", "1048576, false", "6291456, false"})
    void residentPagesStayWithinTheCacheWhileTheDataIsManyTimesLarger(long cache, boolean lazy) throws Exception {
        int pageSize = 4096;
        Path file = TestDirs.fresh("cache-bound").resolve("db");
        try (PageFile f = PageFile.create(file, pageSize, 1024, IoConfig.defaults(), 1 << 20, cache,
                CacheConfig.defaults().withLazyRelease(lazy))) {
            BufferPool pool = f.pool();
            BTree t = BTree.create(f, KeySearch.select(true));
            byte[] v = new byte[400];
            long peak = 0;
            int keys = (int) (30_000 * Math.max(1, cache >> 20) * 2 / 3);
            for (int n = 0; n < keys; n++) {
                t.put(MemorySegment.ofArray(ByteBuffer.allocate(8).putLong(n * 0x9E3779B97F4A7C15L).array()),
                        MemorySegment.ofArray(v));
                if (n % (keys / 10) == 0) {
                    peak = Math.max(peak, held(pool, lazy));
                }
            }
            long data = f.pageCount() * pageSize;
            peak = Math.max(peak, held(pool, lazy));
            assertTrue(data > 4 * cache, "data " + data + " must be > 4x the cache " + cache);
            // Overshoot: one eviction batch (32 pages) plus a page per thread caught mid-fault.
            long allowed = cache + 64L * pageSize;
            assertTrue(peak <= allowed, (lazy ? "kernel-resident pool memory not lazily freed " : "kernel-resident pool memory ")
                    + peak + " exceeds cacheSize " + cache + " + " + (allowed - cache));
            long base = pool.page(0).address();
            if (lazy) {
                // Nothing else asks for memory here, so the kernel keeps what eviction gave back lazily.
                assertTrue(residentBytes(base) > heldBytes(base), "evicted frames are lazily freed, not gone");
            }
            assertTrue(pool.offHeapBytes() <= cache + cache / 10, "pool accounts " + pool.offHeapBytes());
        }
    }
}
