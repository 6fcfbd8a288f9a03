package io.lightningdb.engine;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.cache.FramePlacement;
import io.lightningdb.pagefile.Epochs;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.store.OrderedStore;
import io.lightningdb.store.StoreCursor;
import io.lightningdb.store.ValueTarget;
import io.lightningdb.txn.Mvcc;
import io.lightningdb.wal.Wal;
import io.lightningdb.wal.WalRecovery;
import io.lightningdb.wal.WalStats;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;

/**
 * One open database below its public face: the files, the store (the B-link tree, behind
 * {@link OrderedStore}), the log and the write path, the checkpointer and compaction, and the
 * transactions ({@link Transactions}). The face ({@code io.lightningdb.Database}) checks
 * arguments, runs each call in an epoch ({@link #inEpoch}) and turns the {@link IOException}s and
 * {@link TransactionRefusedException}s thrown here into the API's exceptions; nothing here knows
 * the public types.
 *
 * <p>Every call but open and close runs inside an epoch ({@link #inEpoch}), so a page it reaches
 * is not reused under it and close waits for it; a transaction's waits (for a slot, a key lock, a
 * retry's delay) are outside one, its reads and its commit inside. Writes are logged and applied
 * by {@link LoggedWrites}: plain ones side by side, each key's in log order; commits alone.
 */
public final class Engine {
    /** The data file in the database directory. */
    public static final String DATA_FILE_NAME = "lightning.db";
    /** The configuration the database was last opened with (written and compared by the API). */
    public static final String CONFIG_FILE_NAME = "lightning.config.json";
    /** Suffix of a file written first and renamed into place. */
    public static final String TEMP_SUFFIX = ".tmp";

    private final Path dir;
    private final PageFile file;
    private final BufferPool pool;
    private final OrderedStore store;
    private final Epochs epochs;
    private final DirectoryLock lock;
    private final Wal wal;
    private final Checkpointer checkpointer;
    private final WalRecovery recovery;
    private final long recoveryMillis;
    private final boolean reopened;
    /** Brackets the batches being applied, so multi-key reads see each whole or not at all. */
    private final MultiGet multiGet = new MultiGet();
    /** Admits writers: many plain ones at once, or one alone (a commit, a checkpoint's capture). */
    private final WriterGate gate;
    private final LoggedWrites writes;
    private final Transactions transactions;
    private final Compactor compactor;
    private final AutoCompaction autoCompaction;
    private final CacheWarmer warmer;
    /** Null with {@code prefetchEnabled} off. */
    private final PrefetchWorkers prefetch;
    private volatile boolean closed;

    private Engine(Path dir, EngineConfig config, DatabaseFiles.Opened o, BackgroundThreads threads) {
        this.dir = dir;
        this.file = o.file();
        this.pool = file.pool();
        this.store = o.store();
        this.epochs = file.epochs();
        this.lock = o.lock();
        this.wal = o.wal();
        this.recovery = o.recovery();
        this.recoveryMillis = o.recoveryMillis();
        this.reopened = o.reopened();
        this.gate = new WriterGate(config.maxConcurrentWriters());
        this.checkpointer = new Checkpointer(dir.toString(), file, store, wal, gate, config.maxWalSize(),
                o.checkpointLsn(), threads);
        // A snapshot, once registered, waits for the plain writers that may not have seen it.
        Mvcc mvcc = new Mvcc(config.transactions().maxVersionBytes(), gate::drainShared);
        this.transactions = new Transactions(this, mvcc, config.transactions());
        this.writes = new LoggedWrites(dir, config.wal(), store, wal, gate, checkpointer, multiGet, mvcc);
        this.compactor = new Compactor(file, checkpointer);
        this.autoCompaction = new AutoCompaction(file, compactor, config.autoCompactThreshold());
        checkpointer.compactWith(autoCompaction);
        this.warmer = new CacheWarmer(dir, file, config.warmRestart());
        checkpointer.dumpCacheWith(warmer);
        this.prefetch = config.prefetchEnabled() ? new PrefetchWorkers(config.prefetchWorkers(), threads) : null;
        store.prefetchWith(prefetch == null ? null : prefetch.executor(), config.prefetchDistance());
    }

    /**
     * Changes how many leaves a scan keeps requested ahead of it, from its next step on; 0 turns
     * prefetch off. Refused when the database was opened with {@code prefetchEnabled} off (there
     * are no workers).
     */
    public void setPrefetchDistance(int distance) {
        checkOpen();
        if (prefetch == null) {
            throw new IllegalStateException("prefetchEnabled is off for this database: no prefetch workers to set a"
                    + " distance for (open it with prefetchEnabled(true))");
        }
        store.prefetchDistance(distance);
    }

    /**
     * Opens the database in {@code dir} (creating the directory and the database if absent) and
     * recovers it; replayed writes are checkpointed at once so the next open need not replay them.
     * The background threads come from {@code threads}.
     */
    public static Engine open(Path dir, EngineConfig config, BackgroundThreads threads) throws IOException {
        Engine e = new Engine(dir, config, DatabaseFiles.open(dir, config, threads), threads);
        if (e.recovery.records() > 0) {
            try {
                e.checkpointer.checkpoint();
            } catch (IOException | RuntimeException failure) {
                try {
                    e.close();
                } catch (IOException | RuntimeException c) {
                    failure.addSuppressed(c);
                }
                throw failure;
            }
        }
        e.warmer.start(threads);
        return e;
    }

    // ---------------------------------------------------------------- the guard's half

    /** A call into an open engine that may fail with an I/O error. */
    @FunctionalInterface
    public interface Call<R> {
        R run(Engine e) throws IOException;
    }

    /** Throws the use-after-close error. */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database is closed");
        }
    }

    /**
     * Runs {@code call} in an epoch: refused after close, waited for by close, and no page it
     * reaches is reused under it. Re-entrant.
     */
    public <R> R inEpoch(Call<R> call) throws IOException {
        checkOpen();
        Epochs.Slot s = epochs.enter();
        try {
            if (closed) {
                throw new IllegalStateException("database is closed");
            }
            return call.run(this);
        } finally {
            epochs.exit(s);
        }
    }

    // ---------------------------------------------------------------- reads (inside an epoch)

    /** The value of {@code key} in a new array, or null when absent. */
    public byte[] get(byte[] key) throws IOException {
        return read(store, key);
    }

    static byte[] read(OrderedStore store, byte[] key) throws IOException {
        byte[][] out = new byte[1][];
        long n = store.get(MemorySegment.ofArray(key), len -> {
            out[0] = new byte[(int) len];
            return MemorySegment.ofArray(out[0]);
        });
        return n < 0 ? null : out[0];
    }

    /** The value's length, copied where {@code target} says; -1 when absent. */
    public long get(MemorySegment key, ValueTarget target) throws IOException {
        return store.get(key, target);
    }

    /** The values of {@code keys}, seeing a batch applied meanwhile whole or not at all. */
    public List<byte[]> multiGet(List<byte[]> keys) throws IOException {
        return multiGet.consistent(store, keys);
    }

    /** Keys in the store (exact when no writer is active). */
    public long keyCount() {
        return store.keyCount();
    }

    /** Keys that cut {@code (from, to)} into up to {@code parts} parts of about equal size (see {@link OrderedStore#splitPoints}). */
    public List<byte[]> splitPoints(byte[] from, byte[] to, int parts) throws IOException {
        return store.splitPoints(from, to, parts);
    }

    /** A cursor over {@code [from, to)} (null: open); the bounds must be the cursor's own copies. */
    public StoreCursor cursor(byte[] from, byte[] to, boolean reverse) {
        return store.cursor(from, to, reverse);
    }

    // ---------------------------------------------------------------- writes

    public void put(MemorySegment key, MemorySegment value) throws IOException {
        writes.checkRecordSize(key.byteSize() + value.byteSize(), "key and value");
        writes.durable(writes.logged(LogRecords.PUT, key, value, t -> {
            writes.rememberOld(t, key);
            store.put(key, value);
        }));
    }

    public void delete(MemorySegment key) throws IOException {
        writes.durable(writes.logged(LogRecords.DELETE, key, null, t -> {
            writes.rememberOld(t, key);
            store.delete(key);
        }));
    }

    /**
     * Applies the puts and deletes ({@code values[i] == null}) as one log record, all or none;
     * {@code check} runs first with every other writer out (a transaction's validation: when it
     * throws, nothing is logged). {@code what} names the writes in a too-large error.
     */
    public void write(List<byte[]> keys, List<byte[]> values, String what, Runnable check) throws IOException {
        SortedBatch b = SortedBatch.of(keys, values);
        MemorySegment record = LogRecords.encode(b.keys(), b.values());
        writes.checkRecordSize(record.byteSize(), what);
        writes.durable(writes.loggedBatch(b.keys(), record, check, t -> writes.applyBatch(b.keys(), b.values(), t)));
    }

    /** Makes every write so far durable now. */
    public void flush() throws IOException {
        try {
            wal.sync();
        } catch (IOException e) {
            throw writes.failedLog(e);
        }
    }

    // ---------------------------------------------------------------- management

    public void checkpoint() throws IOException {
        try {
            checkpointer.checkpoint();
        } catch (IOException e) {
            throw writes.failedLog(e);
        }
    }

    /** Compacts the file (see {@link Compactor}); {@code progress} gets (done, total). */
    public Compaction compact(Compactor.Progress progress) throws IOException {
        try {
            return compactor.run(progress);
        } catch (IOException e) {
            throw writes.failedLog(e);
        }
    }

    /**
     * The tree's invariant problems; {@code progress} hears (pages read, pages in use), the total
     * counting every page in use and reached only at the end.
     */
    public List<String> verify(Compactor.Progress progress) throws IOException {
        long total = Math.max(1, file.pageCount() - file.freePages());
        List<String> problems = store.verify(read -> progress.progress(Math.min(read, total - 1), total));
        progress.progress(total, total);
        return problems;
    }

    public void resizeCache(long bytes) throws IOException {
        pool.resize(bytes);
    }

    /** Every figure of the open engine, read now. */
    public EngineFigures figures() throws IOException {
        return new EngineFigures(store.keyCount(), file.pageCount(), file.freePages(), store.height(), file.pageSize(),
                pool.capacityBytes(), pool.residentPages() * file.pageSize(), pool.accesses(), pool.hitRatio(),
                pool.faults(), pool.rescues(), pool.evictions(), pool.pinnedPages(), pool.offHeapBytes(),
                store.searchName(), durability(), writes.figures(), space(), pool.scratch().stats(), transactions.figures(),
                warmer.figures());
    }

    private DurabilityFigures durability() {
        WalStats w = wal.stats();
        return new DurabilityFigures(w.appends(), w.syncs(), w.groupCommitMax(),
                wal.bytesSince(checkpointer.lastCheckpointLsn()), checkpointer.count(), checkpointer.lastStallNanos(),
                checkpointer.maxStallNanos(), checkpointer.lastDurationNanos(), file.fileSlots() * file.pageSize());
    }

    private SpaceFigures space() throws IOException {
        return new SpaceFigures(store.liveBytes(), file.fileBytes(), wal.stats().diskBytes(),
                file.freeSlots() * file.pageSize(), autoCompaction.runs(), autoCompaction.bytesReclaimed());
    }

    /**
     * Waits for operations in progress, checkpoints (unless writes are refused), and releases all
     * memory and files. Later calls throw {@code IllegalStateException}; a second close does nothing.
     */
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        warmer.close();
        if (prefetch != null) {
            store.prefetchWith(null, 0);
            prefetch.close(); // its tasks hold epochs and load into the pool: done before either goes
        }
        epochs.awaitQuiescence();
        checkpointer.close();
        IOException failure = null;
        try {
            if (!writes.refused()) {
                checkpointer.checkpointAtClose();
                wal.checkpointedThrough(checkpointer.lastCheckpointLsn());
            }
        } catch (IOException e) {
            failure = e;
        }
        warmer.dump();
        failure = DatabaseFiles.closeAll(failure, wal, file, lock);
        if (failure != null) {
            throw failure;
        }
    }

    // ---------------------------------------------------------------- what the open found and made

    public Transactions transactions() {
        return transactions;
    }

    /** The largest key this database takes (fixed when it was created). */
    public int maxKeySize() {
        return file.maxKeySize();
    }

    public int pageSize() {
        return file.pageSize();
    }

    /** Where the cache's frames were placed, as the kernel reports it. */
    public FramePlacement.Applied framePlacement() {
        return pool.placement();
    }

    public Path directory() {
        return dir;
    }

    /** What the open replayed from the log, and in how many milliseconds. */
    public WalRecovery recovery() {
        return recovery;
    }

    public long recoveryMillis() {
        return recoveryMillis;
    }

    /** Whether the open found an existing database (false: it created it). */
    public boolean reopened() {
        return reopened;
    }
}
