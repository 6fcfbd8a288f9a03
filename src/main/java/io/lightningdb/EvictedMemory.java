package io.lightningdb;

/**
 * What becomes of the memory of a page the cache evicts: the choice between a cache whose memory
 * is exactly {@code cacheSize} and one that lets memory nobody else needs serve as a second level,
 * as the OS page cache does for engines that read through it. docs/architecture.md ("The memory
 * regime") gives the measurements behind the default.
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="evictedMemory"}
 */
public enum EvictedMemory {
    /**
     * Given back lazily ({@code madvise(MADV_FREE)}): the OS takes the page when it needs memory,
     * before it would swap anything, and until then a miss on that page is served from it,
     * checksum verified, with no read and no page fault. The process's resident memory can exceed
     * {@code cacheSize} by what the OS has not taken back (the kernel reports it as {@code LazyFree});
     * inside a container the memory limit bounds it. The default.
     */
    LAZY,
    /**
     * Given back at once ({@code madvise(MADV_DONTNEED)}): the cache's resident memory never exceeds
     * {@code cacheSize}, and every miss is a read into a freshly faulted page.
     */
    IMMEDIATE
}
