package io.lightningdb;

import io.lightningdb.engine.Engine;
import io.lightningdb.store.StoreCursor;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@link Database#parallelScan}: a key range cut at the tree's separators into parts of about
 * {@code scanBatchSize} entries (at least four per thread), read by {@code scanThreads} threads,
 * each part by an ordinary cursor. In any order, threads take the next part as they finish one, so
 * uneven parts even out, and the action gets each entry where it is read, copied into arrays or as the
 * cursor's own views (nothing allocated per entry). In key order the parts are dealt round the
 * threads, the caller's included: the caller reads its parts straight into the action, the scan
 * threads pack theirs into chunks (one array of keys and values each, about {@value #CHUNK_BYTES}
 * bytes) that the caller hands over in turn; a scan thread starts a part only once the caller has
 * handed over the one {@code scanThreads} parts before it, so each buffers at most one part (about
 * {@code scanBatchSize} entries). Without parallelism ({@code enableParallelScan} false, or
 * one thread) the caller scans the range itself. The scan threads come from the engine's thread
 * factory (pinned with {@code pinThreads}), started at the first parallel scan and stopped at close.
 */
final class ParallelScans implements AutoCloseable {
    /** Entries a key-order part hands over at once, at most. */
    static final int CHUNK = 1024;
    /** Bytes of keys and values a key-order chunk is handed over at (a larger entry makes it larger). */
    static final int CHUNK_BYTES = 128 << 10;
    /** The most parts a range is cut into. */
    static final int MAX_PARTS = 4096;

    private final Database db;
    private final ThreadFactory threads;
    private final boolean enabled;
    private final int scanThreads;
    private final int batchSize;
    private ExecutorService pool;

    ParallelScans(Database db, ThreadFactory threads, boolean enabled, int scanThreads, int batchSize) {
        this.db = db;
        this.threads = threads;
        this.enabled = enabled;
        this.scanThreads = scanThreads;
        this.batchSize = batchSize;
    }

    /** How entries reach the caller's action: straight from a cursor, or from a packed chunk. */
    interface Delivery {
        /** An entry at the cursor's position, on a scan thread or the caller's. */
        void fromCursor(StoreCursor c);

        /** An entry of a chunk, on the caller's thread. */
        void fromChunk(byte[] data, int keyOffset, int keyLength, int valueOffset, int valueLength);
    }

    /** Copies for an action on arrays. */
    static Delivery arrays(BiConsumer<byte[], byte[]> action) {
        return new Delivery() {
            @Override
            public void fromCursor(StoreCursor c) {
                action.accept(c.key(), c.value());
            }

            @Override
            public void fromChunk(byte[] data, int ko, int kl, int vo, int vl) {
                action.accept(Arrays.copyOfRange(data, ko, ko + kl), Arrays.copyOfRange(data, vo, vo + vl));
            }
        };
    }

    /** Views, valid during the call, for an action on segments. */
    static Delivery segments(BiConsumer<MemorySegment, MemorySegment> action) {
        return new Delivery() {
            @Override
            public void fromCursor(StoreCursor c) {
                action.accept(c.keySegment(), c.valueSegment());
            }

            @Override
            public void fromChunk(byte[] data, int ko, int kl, int vo, int vl) {
                MemorySegment all = MemorySegment.ofArray(data);
                action.accept(all.asSlice(ko, kl), all.asSlice(vo, vl));
            }
        };
    }

    long scan(byte[] from, byte[] to, ScanOrder order, Delivery action) {
        if (!enabled || scanThreads == 1) {
            return scanPart(from, to, action::fromCursor, () -> false);
        }
        long keys = db.guarded(Engine::keyCount);
        int parts = (int) Math.min(MAX_PARTS, Math.max(4L * scanThreads, keys / batchSize));
        List<byte[]> cuts = db.guarded(e -> e.splitPoints(from, to, parts));
        List<byte[][]> ranges = new ArrayList<>(cuts.size() + 1);
        byte[] lo = from;
        for (byte[] cut : cuts) {
            ranges.add(new byte[][] {lo, cut});
            lo = cut;
        }
        ranges.add(new byte[][] {lo, to});
        return order == ScanOrder.ANY_ORDER ? anyOrder(ranges, action) : keyOrder(ranges, action);
    }

    /** One cursor over {@code [from, to)}, each step in the database's guard; stops early when {@code stop} says. */
    private long scanPart(byte[] from, byte[] to, Consumer<StoreCursor> entry, BooleanSupplier stop) {
        StoreCursor c = db.treeCursor(from == null ? null : from.clone(), to == null ? null : to.clone(), false);
        long n = 0;
        try {
            while (!stop.getAsBoolean() && (c.nextBuffered() || db.advance(c))) {
                entry.accept(c);
                n++;
            }
        } finally {
            c.release();
        }
        return n;
    }

    private synchronized ExecutorService pool() {
        db.checkOpen();
        if (pool == null) {
            // The caller is always one of the scanThreads: the pool holds the others.
            pool = Executors.newFixedThreadPool(scanThreads - 1, r -> {
                Thread t = threads.newThread(r);
                t.setName("lightning-scan");
                return t;
            });
        }
        return pool;
    }

    /** The parts taken by the scan threads and the caller alike, entries handed over where they are read. */
    private long anyOrder(List<byte[][]> ranges, Delivery action) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder count = new LongAdder();
        Runnable worker = () -> {
            int i;
            while (failure.get() == null && (i = next.getAndIncrement()) < ranges.size()) {
                try {
                    count.add(scanPart(ranges.get(i)[0], ranges.get(i)[1], action::fromCursor, () -> failure.get() != null));
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }
        };
        List<Future<?>> helpers = new ArrayList<>();
        ExecutorService p = pool();
        for (int t = 1; t < Math.min(scanThreads, ranges.size()); t++) {
            helpers.add(p.submit(worker));
        }
        worker.run();
        awaitAll(helpers, failure);
        rethrow(failure.get());
        return count.sum();
    }

    /**
     * A key-order part's output: up to {@link #CHUNK} entries or about {@link #CHUNK_BYTES} bytes
     * packed into one array (one allocation a chunk, not two an entry); {@link #END} ends a part.
     */
    private static final class Chunk {
        static final Chunk END = new Chunk(0, 0);
        byte[] data;
        /** Per entry: key offset, key length, value offset, value length. */
        final int[] at;
        int size;
        int used;

        Chunk(int bytes, int entries) {
            data = new byte[bytes];
            at = new int[4 * entries];
        }

        Chunk() {
            this(CHUNK_BYTES, CHUNK);
        }

        boolean full() {
            return size == CHUNK || used >= CHUNK_BYTES;
        }

        void add(MemorySegment key, MemorySegment value) {
            int kl = (int) key.byteSize();
            int vl = (int) value.byteSize();
            if (used + kl + vl > data.length) {
                data = Arrays.copyOf(data, Math.max(2 * data.length, used + kl + vl));
            }
            MemorySegment d = MemorySegment.ofArray(data);
            MemorySegment.copy(key, 0, d, used, kl);
            MemorySegment.copy(value, 0, d, used + kl, vl);
            int i = 4 * size++;
            at[i] = used;
            at[i + 1] = kl;
            at[i + 2] = used + kl;
            at[i + 3] = vl;
            used += kl + vl;
        }

        void deliver(Delivery d) {
            for (int j = 0; j < size; j++) {
                int i = 4 * j;
                d.fromChunk(data, at[i], at[i + 1], at[i + 2], at[i + 3]);
            }
        }
    }

    /**
     * The parts read side by side, handed to the caller part by part in order. Part {@code i} is
     * read by thread {@code i mod scanThreads}: the caller reads its own parts straight into the
     * action and hands over the others' chunks in between; a scan thread starts a part only once the
     * caller has handed over the part {@code scanThreads} before it, so each buffers at most one part.
     */
    private long keyOrder(List<byte[][]> ranges, Delivery action) {
        int n = ranges.size();
        int k = Math.min(scanThreads, n);
        List<BlockingQueue<Chunk>> queues = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            queues.add(i % k == 0 ? null : new LinkedBlockingQueue<>());
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger delivered = new AtomicInteger();
        Object progress = new Object();
        List<Future<?>> helpers = new ArrayList<>();
        ExecutorService p = pool();
        for (int t = 1; t < k; t++) {
            int first = t;
            helpers.add(p.submit(() -> {
                for (int i = first; i < n && failure.get() == null; i += k) {
                    BlockingQueue<Chunk> q = queues.get(i);
                    try {
                        synchronized (progress) {
                            while (delivered.get() < i - k && failure.get() == null) {
                                progress.wait(10);
                            }
                        }
                        Chunk[] open = {new Chunk()};
                        scanPart(ranges.get(i)[0], ranges.get(i)[1], c -> {
                            Chunk chunk = open[0];
                            chunk.add(c.keySegment(), c.valueSegment());
                            if (chunk.full()) {
                                q.add(chunk);
                                open[0] = new Chunk();
                            }
                        }, () -> failure.get() != null);
                        q.add(open[0]);
                        q.add(Chunk.END);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                        return;
                    }
                }
            }));
        }
        long count = 0;
        try {
            parts:
            for (int i = 0; i < n; i++) {
                if (i % k == 0) {
                    count += scanPart(ranges.get(i)[0], ranges.get(i)[1], action::fromCursor, () -> false);
                } else {
                    BlockingQueue<Chunk> q = queues.get(i);
                    while (true) {
                        Chunk c = q.poll(10, TimeUnit.MILLISECONDS);
                        if (c == null) {
                            if (failure.get() != null) {
                                break parts;
                            }
                            continue;
                        }
                        if (c == Chunk.END) {
                            break;
                        }
                        c.deliver(action);
                        count += c.size;
                    }
                    queues.set(i, null);
                }
                delivered.set(i + 1);
                synchronized (progress) {
                    progress.notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, e);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
        awaitAll(helpers, failure);
        rethrow(failure.get());
        return count;
    }

    private static void awaitAll(List<Future<?>> helpers, AtomicReference<Throwable> failure) {
        boolean interrupted = false;
        for (Future<?> f : helpers) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The scan's first failure, as the API throws it: unchecked exceptions and errors as they are. */
    private static void rethrow(Throwable t) {
        if (t == null) {
            return;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            throw new LightningDbException("parallel scan interrupted", t);
        }
        throw new LightningDbException("parallel scan failed: " + t, t);
    }

    /** Stops the scan threads (they are idle: every scan waits for its parts before it returns). */
    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
