package io.lightningdb.memory;

import io.lightningdb.testing.Seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Several threads acquire and release frames; a frame must never be held by two threads at once. */
class PagePoolConcurrencyTest {
    private static final long FRAME = 4096;
    private static final int THREADS = 4;
    private static final int OPERATIONS = 20_000;
    private static final int MAX_HELD_PER_THREAD = 6;
    /** Smaller than what the threads hold together, so both the free list and the arena are used. */
    private static final long POOL_SIZE = 8 * FRAME;

    @ParameterizedTest(name = "pools enabled = {0}")
    @ValueSource(booleans = {true, false})
    void noFrameIsHandedToTwoHolders(boolean poolsEnabled) throws Exception {
        long seed = Seeds.seed("PagePoolConcurrencyTest[pools=" + poolsEnabled + "]");
        MemoryAccounting acc = new MemoryAccounting();
        MemoryConfig config = MemoryConfig.builder().enableMemoryPools(poolsEnabled).memoryPoolSize(POOL_SIZE).build();
        ConcurrentHashMap<Long, Integer> holders = new ConcurrentHashMap<>();
        try (OffHeapArena arena = OffHeapArena.builder().accounting(acc).name("pool-concurrency").build();
                PagePool pool = new PagePool(arena, FRAME, config)) {
            ExecutorService executor = Executors.newFixedThreadPool(THREADS);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t + 1;
                    Random random = new Random(seed + t);
                    workers.add(executor.submit(() -> {
                        start.await();
                        work(pool, holders, id, random);
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> f : workers) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                executor.shutdownNow();
            }
            assertTrue(holders.isEmpty());
            assertEquals(0, pool.heldFrames());
            assertTrue(pool.pooledBytes() <= POOL_SIZE, pool.toString());
            assertEquals(acc.allocatedBytes(), acc.pooledBytes(), "frames leaked: " + acc);
            assertEquals(0, acc.inUseBytes());
            if (poolsEnabled) {
                assertTrue(pool.hits() > 0, pool.toString());
            } else {
                assertEquals(0, pool.pooledBytes());
            }
        }
        assertEquals(0, acc.reservedBytes());
    }

    private static void work(PagePool pool, ConcurrentHashMap<Long, Integer> holders, int id, Random random) {
        ArrayDeque<MemorySegment> mine = new ArrayDeque<>();
        for (int op = 0; op < OPERATIONS; op++) {
            boolean acquire = mine.isEmpty() || (mine.size() < MAX_HELD_PER_THREAD && random.nextBoolean());
            if (acquire) {
                MemorySegment frame = pool.acquire();
                Integer other = holders.putIfAbsent(frame.address(), id);
                if (other != null) {
                    throw new AssertionError("frame 0x" + Long.toHexString(frame.address()) + " handed to thread " + id
                            + " while thread " + other + " holds it");
                }
                frame.fill((byte) id);
                mine.add(frame);
            } else {
                MemorySegment frame = random.nextBoolean() ? mine.pollFirst() : mine.pollLast();
                if (random.nextInt(8) == 0) {
                    Thread.yield(); // let other threads run while this one still holds the frame
                }
                verify(frame, id);
                // Forget the holder before releasing: once released, another thread may take it.
                holders.remove(frame.address(), id);
                pool.release(frame);
            }
        }
        for (MemorySegment frame : mine) {
            verify(frame, id);
            holders.remove(frame.address(), id);
            pool.release(frame);
        }
    }

    private static void verify(MemorySegment frame, int id) {
        long expected = 0x0101010101010101L * id;
        for (long off = 0; off < frame.byteSize(); off += Long.BYTES) {
            long v = frame.get(ValueLayout.JAVA_LONG, off);
            if (v != expected) {
                throw new AssertionError("frame 0x" + Long.toHexString(frame.address()) + " of thread " + id
                        + " overwritten at offset " + off + ": 0x" + Long.toHexString(v));
            }
        }
    }
}
