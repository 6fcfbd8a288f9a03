package io.lightningdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WalGroupCommitTest {
    private static final MemorySegment PAYLOAD = MemorySegment.ofArray(new byte[100]);
    private Path dir;

    @BeforeEach
    void setUp() {
        dir = TestDirs.fresh("wal-group");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestDirs.deleteTree(dir);
    }

    /** Each thread commits {@code perThread} times: append, then awaitDurable, checking durableLsn. */
    private static void commitConcurrently(Wal wal, int threads, int perThread) throws Exception {
        AtomicReference<Throwable> error = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long lsn = wal.append((byte) 1, PAYLOAD, null);
                        wal.awaitDurable(lsn);
                        if (wal.durableLsn() < lsn) {
                            throw new AssertionError("awaitDurable(" + lsn + ") returned at durableLsn " + wal.durableLsn());
                        }
                    }
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                }
            }));
        }
        start.countDown();
        for (Thread t : all) {
            t.join();
        }
        if (error.get() != null) {
            throw new AssertionError(error.get());
        }
    }

    @Test
    void batchSharesSyncsAmongConcurrentCommitters() throws Exception {
        int threads = 8;
        int perThread = 40;
        try (Wal wal = Wal.open(dir, new WalConfig(SyncMode.BATCH, 64, 5_000_000L, 10_000_000L, 1 << 20), 0)) {
            commitConcurrently(wal, threads, perThread);
            WalStats s = wal.stats();
            System.out.println("BATCH 8 threads: " + s);
            assertEquals(threads * perThread, s.appends());
            assertTrue(s.syncs() <= s.appends() / 2, "syncs " + s.syncs() + " for " + s.appends() + " commits");
            assertTrue(s.groupCommitMax() >= 2, s.toString());
            assertEquals(wal.endLsn(), wal.durableLsn());
        }
        assertEquals(threads * perThread, WalTestLog.readAll(dir, 0, null).size());
    }

    @Test
    void syncAndLoneBatchThreadSyncEveryCommitWithoutWaiting() throws Exception {
        for (SyncMode mode : new SyncMode[] {SyncMode.SYNC, SyncMode.BATCH}) {
            Path d = dir.resolve(mode.name());
            // a long batch wait: a lone thread that waited would take 50 ms a commit
            try (Wal wal = Wal.open(d, new WalConfig(mode, 64, 50_000_000L, 10_000_000L, 1 << 20), 0)) {
                long t0 = System.nanoTime();
                commitConcurrently(wal, 1, 30);
                long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
                WalStats s = wal.stats();
                assertEquals(30, s.appends());
                assertEquals(30, s.syncs(), mode + ": one sync per commit: " + s);
                assertEquals(0, s.batchWaits(), mode + ": a lone committer never waits: " + s);
                assertTrue(elapsedMs < 30 * 50, mode + " took " + elapsedMs + " ms");
            }
        }
    }

    @Test
    void asyncReturnsBeforeTheSyncAndSyncsWithinTheInterval() throws Exception {
        long intervalNanos = 300_000_000L;
        try (Wal wal = Wal.open(dir, new WalConfig(SyncMode.ASYNC, 64, 0, intervalNanos, 1 << 20), 0)) {
            long start = wal.durableLsn();
            long lsn = 0;
            for (int i = 0; i < 20; i++) {
                lsn = wal.append((byte) 1, PAYLOAD, null);
                wal.awaitDurable(lsn);
            }
            assertEquals(start, wal.durableLsn(), "ASYNC commits return before any sync");
            assertEquals(0, wal.stats().syncs());
            long deadline = System.nanoTime() + intervalNanos + 3_000_000_000L;
            while (wal.durableLsn() < lsn && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(lsn, wal.durableLsn(), "the background sync covered every commit");
            assertTrue(wal.stats().syncs() >= 1);
        }
        assertEquals(20, WalTestLog.readAll(dir, 0, null).size());
    }

    @Test
    void asyncFlushesEarlyWhenMuchIsPending() throws Exception {
        // an interval far longer than the test: only the early flush can make these durable
        try (Wal wal = Wal.open(dir, new WalConfig(SyncMode.ASYNC, 64, 0, 60_000_000_000L, 64L << 20), 0)) {
            MemorySegment big = MemorySegment.ofArray(new byte[64 << 10]);
            long lsn = 0;
            while (lsn < Wal.ASYNC_EARLY_FLUSH + (1 << 20)) {
                lsn = wal.append((byte) 2, big, null);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (wal.durableLsn() < Wal.ASYNC_EARLY_FLUSH && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(wal.durableLsn() >= Wal.ASYNC_EARLY_FLUSH, "durable " + wal.durableLsn());
            wal.sync();
            assertEquals(lsn, wal.durableLsn());
        }
    }
}
