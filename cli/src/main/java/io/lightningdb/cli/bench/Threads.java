package io.lightningdb.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The client threads of a phase. A task that dies of something other than a counted operation
 * failure (an Error, a bug in the bench) must not pass unseen: its throwable is rethrown by
 * {@link #close()}, which waits for every thread.
 *
 * {@snippet :
 * try (Threads t = Threads.start("run", tasks)) {
 *     while (!t.joinFor(50_000_000)) { report(); }
 * }
 * }
 */
final class Threads implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Threads() {}

    static Threads start(String name, List<Runnable> tasks) {
        Threads t = new Threads();
        for (int i = 0; i < tasks.size(); i++) {
            Runnable task = tasks.get(i);
            t.threads.add(Thread.ofPlatform().name("bench-" + name + "-" + i).daemon().start(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    t.failure.compareAndSet(null, e);
                }
            }));
        }
        return t;
    }

    /** Whether a task died: the phase should stop early, and {@link #close()} will rethrow it. */
    boolean failed() {
        return failure.get() != null;
    }

    /** Waits up to {@code nanos} for every thread; true when all have ended. */
    boolean joinFor(long nanos) {
        long deadline = System.nanoTime() + nanos;
        try {
            for (Thread th : threads) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !th.join(java.time.Duration.ofNanos(left))) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the bench threads", e);
        }
        return true;
    }

    /** Waits for every thread, then rethrows the first failure of a task. */
    @Override
    public void close() {
        while (!joinFor(TimeUnit.SECONDS.toNanos(1))) {
            // Tasks end on their own (the phase flag or the key count); waiting is all there is to do.
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }
}
