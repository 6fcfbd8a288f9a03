package io.lightningdb.engine;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The prefetch workers ({@code prefetchEnabled}, {@code prefetchWorkers}): a small pool from the
 * engine's thread factory that loads pages ahead of scans (the store's read-ahead hands them runs
 * of leaves). Threads start with the first task and end after a minute idle, so a database that
 * never scans has none. The queue is short and a full one refuses (the scan then reads those
 * pages itself when it gets there): prefetch is a hint, never a backlog. Close waits for the tasks
 * running, which hold epochs and pages, before the pool they load into goes.
 */
final class PrefetchWorkers implements AutoCloseable {
    /** Runs waiting at most: a few per worker. */
    static final int QUEUE = 64;
    private static final long IDLE_SECONDS = 60;

    private final ThreadPoolExecutor pool;

    PrefetchWorkers(int workers, ThreadFactory threads) {
        ThreadFactory named = r -> {
            Thread t = threads.newThread(r);
            t.setName("lightning-prefetch");
            t.setDaemon(true);
            return t;
        };
        pool = new ThreadPoolExecutor(workers, workers, IDLE_SECONDS, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                named, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    Executor executor() {
        return pool;
    }

    /** Refuses new runs and waits for those running and queued (each one batch of reads). */
    @Override
    public void close() {
        pool.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
