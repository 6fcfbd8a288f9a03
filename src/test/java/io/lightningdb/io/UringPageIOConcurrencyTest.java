package io.lightningdb.io;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.UringTestSupport;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many threads sharing one UringPageIO (and so its ring pool), and close() racing with them. */
class UringPageIOConcurrencyTest {
    private static final int PAGE = 4096;
    private Path dir;

    /** Skips the whole class (or fails it under CI) when io_uring is unavailable. */
    @BeforeAll
    static void requireUring() {
        UringTestSupport.requireUring();
    }

    @BeforeEach
    void setUp() {
        dir = UringTestSupport.freshDir("uring-concurrency");
    }

    @AfterEach
    void tearDown() throws Exception {
        io.lightningdb.testing.TestDirs.deleteTree(dir);
    }

    /** Each page holds its own number and a version; a reader checks the number is intact. */
    private static void stamp(MemorySegment page, long pageNo, long version) {
        for (long off = 0; off < PAGE; off += 16) {
            page.set(JAVA_LONG, off, pageNo);
            page.set(JAVA_LONG, off + 8, version);
        }
    }

    @Test
    void threadsShareTheRingPool() throws Exception {
        long seed = UringTestSupport.seed("threadsShareTheRingPool");
        int threads = 8;
        int pagesPerThread = 64;
        int rounds = 40;
        IoConfig config = IoConfig.builder().backend(PageIOBackend.URING).ioUringQueueDepth(16).useDirectIo(true).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (UringPageIO io = UringPageIO.open(dir.resolve("shared"), PAGE, config);
             Arena shared = Arena.ofShared()) {
            MemorySegment registered = shared.allocate((long) threads * pagesPerThread * PAGE, 4096);
            assertTrue(io.registerBuffers(registered));
            io.preallocate(0, (long) threads * pagesPerThread * PAGE);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(seed + id);
                    // Half the threads use the registered region, half private memory.
                    MemorySegment mine = id % 2 == 0
                            ? registered.asSlice((long) id * pagesPerThread * PAGE, (long) pagesPerThread * PAGE)
                            : Arena.ofAuto().allocate((long) pagesPerThread * PAGE, 4096);
                    long first = (long) id * pagesPerThread;
                    long[] versions = new long[pagesPerThread];
                    start.await();
                    PageBatch batch = new PageBatch(pagesPerThread);
                    for (int round = 0; round < rounds; round++) {
                        batch.clear();
                        for (int p = 0; p < pagesPerThread; p++) {
                            MemorySegment page = mine.asSlice((long) p * PAGE, PAGE);
                            if (rnd.nextBoolean()) {
                                stamp(page, first + p, ++versions[p]);
                                batch.write((first + p) * PAGE, page);
                            }
                        }
                        if (rnd.nextBoolean()) {
                            io.execute(batch);
                        } else {
                            for (int i = 0; i < batch.size(); i++) {
                                io.write(batch.offset(i), batch.segment(i));
                            }
                        }
                        mine.fill((byte) 0);
                        batch.clear();
                        for (int p = 0; p < pagesPerThread; p++) {
                            batch.read((first + p) * PAGE, mine.asSlice((long) p * PAGE, PAGE));
                        }
                        io.execute(batch);
                        for (int p = 0; p < pagesPerThread; p++) {
                            MemorySegment page = mine.asSlice((long) p * PAGE, PAGE);
                            if (versions[p] > 0) {
                                assertEquals(first + p, page.get(JAVA_LONG, 0), "page number, thread " + id);
                                assertEquals(versions[p], page.get(JAVA_LONG, PAGE - 8), "version, thread " + id);
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            assertTrue(io.ringCount() >= 1 && io.ringCount() <= io.maxRings(),
                    io.ringCount() + " rings, max " + io.maxRings());
            assertTrue(io.fixedRequestCount() > 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeWaitsForCallsInProgressAndLaterCallsFail() throws Exception {
        int threads = 4;
        IoConfig config = IoConfig.builder().backend(PageIOBackend.URING).ioUringQueueDepth(8).useDirectIo(false).build();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        UringPageIO io = UringPageIO.open(dir.resolve("closing"), PAGE, config);
        try {
            io.preallocate(0, 256L * PAGE);
            CountDownLatch running = new CountDownLatch(threads);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    MemorySegment buf = Arena.ofAuto().allocate(32L * PAGE, 4096);
                    PageBatch batch = new PageBatch(32);
                    for (int i = 0; i < 32; i++) {
                        batch.read(i * (long) PAGE, buf.asSlice(i * (long) PAGE, PAGE));
                    }
                    running.countDown();
                    int done = 0;
                    while (true) {
                        try {
                            io.execute(batch);
                            done++;
                        } catch (IOCallException e) {
                            assertEquals("EBADF", e.errnoName(), e.getMessage());
                            return done;
                        }
                    }
                }));
            }
            running.await();
            Thread.sleep(50);
            io.close();
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get(1, TimeUnit.MINUTES);
            }
            assertTrue(total > 0, "threads ran batches before close");
        } finally {
            io.close();
            pool.shutdownNow();
        }
    }
}
