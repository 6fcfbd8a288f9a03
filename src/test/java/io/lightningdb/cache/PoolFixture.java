package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.io.PageIOBackend;
import io.lightningdb.io.IoConfig;
import io.lightningdb.io.PageIO;
import io.lightningdb.io.PageIOs;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A real buffer pool over a small page file (buffered pread/pwrite: these tests are about which
 * pages stay, not about the disk), with pages whose contents say which page and version they are.
 */
final class PoolFixture implements AutoCloseable {
    static final int PAGE = 4096;
    static final long MAX_PAGES = 1 << 16;
    private static final IoConfig IO = IoConfig.builder().backend(PageIOBackend.POSIX).useDirectIo(false).build();

    final Path file;
    final PageIO io;
    final BufferPool pool;
    final long capacity;

    private PoolFixture(Path file, CacheConfig config, long capacityPages) throws IOException {
        this.file = file;
        this.io = PageIOs.open(file, PAGE, IO);
        this.pool = new BufferPool(io, PAGE, MAX_PAGES, capacityPages * PAGE, config);
        this.capacity = capacityPages;
    }

    /** A pool over a new file holding pages [0, pages), each at version 0, none of them cached. */
    static PoolFixture create(CacheConfig config, long capacityPages, int pages) throws IOException {
        Path file = TestDirs.fresh("pool").resolve("pages");
        try (PoolFixture writer = new PoolFixture(file, CacheConfig.defaults(), 64)) {
            for (int pid = 0; pid < pages; pid++) {
                writer.write(pid, 0, true);
            }
            writer.pool.flush();
        }
        return new PoolFixture(file, config, capacityPages);
    }

    /** The same file with a fresh pool (nothing cached). */
    PoolFixture reopen(CacheConfig config) throws IOException {
        close();
        return new PoolFixture(file, config, capacity);
    }

    /** Reads page {@code pid} as the tree's readers do; true if it was a hit. Checks its contents. */
    boolean read(long pid) throws IOException {
        long faults = pool.faults();
        while (true) {
            long w = pool.readLatch(pid);
            long stamped = pool.page(pid).get(ValueLayout.JAVA_LONG, 8);
            if (pool.validate(pid, w)) {
                assertTrue(stamped == pid, "page " + pid + " holds the contents of page " + stamped);
                break;
            }
        }
        checkCapacity();
        return pool.faults() == faults;
    }

    /** Writes {@code version} into page {@code pid} (a new page if {@code fresh}). */
    void write(long pid, int version, boolean fresh) throws IOException {
        if (fresh) {
            pool.lockNew(pid);
        } else {
            pool.lock(pid);
        }
        fill(pool.page(pid), pid, version);
        pool.unlock(pid);
        checkCapacity();
    }

    /** The version page {@code pid} holds; fails if any byte disagrees with it. */
    int version(long pid) throws IOException {
        pool.lock(pid);
        try {
            MemorySegment p = pool.page(pid);
            int v = p.get(ValueLayout.JAVA_INT, 16);
            MemorySegment expected = MemorySegment.ofArray(new long[PAGE / Long.BYTES]);
            fill(expected, pid, v);
            long mismatch = expected.asSlice(PageFrames.PAYLOAD_OFFSET).mismatch(p.asSlice(PageFrames.PAYLOAD_OFFSET));
            assertTrue(mismatch == -1, "page " + pid + " version " + v + " differs at byte " + (mismatch + 4));
            return v;
        } finally {
            pool.unlockUnchanged(pid);
        }
    }

    static void fill(MemorySegment p, long pid, int version) {
        p.set(ValueLayout.JAVA_LONG, 8, pid);
        p.set(ValueLayout.JAVA_INT, 16, version);
        long x = pid * 0x9E3779B97F4A7C15L + version;
        for (long off = 24; off < PAGE; off += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            p.set(ValueLayout.JAVA_LONG, off, x);
        }
    }

    /** Single-threaded, the pool never holds more than its capacity after a call. */
    void checkCapacity() {
        long resident = pool.residentPages();
        long cap = pool.capacityPages();
        assertTrue(resident <= cap, "resident pages " + resident + " exceed the capacity " + cap);
        long pinned = pool.pinnedPages();
        long pinCap = (long) Math.floor(cap * pool.config().hotPartitionRatio());
        assertTrue(pinned <= pinCap, "pinned pages " + pinned + " exceed the hot partition's " + pinCap);
    }

    @Override
    public void close() throws IOException {
        try {
            pool.close();
        } finally {
            io.close();
        }
    }
}
