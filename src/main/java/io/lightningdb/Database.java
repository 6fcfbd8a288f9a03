package io.lightningdb;

import io.lightningdb.cache.CorruptPageException;
import io.lightningdb.engine.BackgroundThreads;
import io.lightningdb.engine.DirectoryLockedException;
import io.lightningdb.engine.Engine;
import io.lightningdb.engine.EngineTransaction;
import io.lightningdb.engine.ForeignDirectoryException;
import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.pagefile.CorruptFileException;
import io.lightningdb.store.StoreCursor;
import io.lightningdb.wal.WalCorruptException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * An embedded, ordered key-value database in one directory. Keys are byte strings compared as
 * unsigned bytes; values are byte strings of 0 bytes to 1 GiB. Thread-safe: readers never block
 * and never wait for writers.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="open"}
 *
 * <p>Durability: every write is a record in the write-ahead log before it returns; with
 * {@link WalSyncMode#SYNC} (the default) and {@link WalSyncMode#BATCH} a write that returned
 * survives a crash, with {@link WalSyncMode#ASYNC} a crash may lose about the last
 * {@code walFlushInterval} of writes. A crash never leaves a write half-applied. Opening after a
 * crash replays the log from the last checkpoint. One handle at a time: a second open of the
 * directory, from this process or another, gets {@link DatabaseLockedException}. Plain writes to
 * different leaves run side by side, up to {@code maxConcurrentWriters} at once; commits, and writes
 * while a transaction is open, run alone. Readers never wait for writers.
 */
public final class Database implements AutoCloseable {
    /** The file in the database directory. */
    public static final String FILE_NAME = Engine.DATA_FILE_NAME;
    /** The configuration the database was last opened with, in its directory (see {@link #configChanges()}). */
    public static final String CONFIG_FILE_NAME = Engine.CONFIG_FILE_NAME;

    private final LightningDbConfig config;
    private final Engine engine;
    private final int maxKeySize;
    private final Capabilities capabilities;
    private final BackgroundThreads threads;
    private final List<String> configChanges;
    private final RecoveryReport recovery;
    private final ParallelScans parallelScans;

    private Database(LightningDbConfig config, Engine engine, BackgroundThreads threads, List<String> configChanges) {
        this.config = config;
        this.engine = engine;
        this.maxKeySize = engine.maxKeySize();
        this.threads = threads;
        this.configChanges = configChanges;
        this.recovery = RecoveryReport.of(engine.recovery(), engine.recoveryMillis());
        this.capabilities = Capabilities.detect(config, engine.directory()).inUse(engine.framePlacement(), threads);
        this.parallelScans = new ParallelScans(this, threads, config.enableParallelScan(), config.scanThreads(),
                config.scanBatchSize());
    }

    /** Opens the database in {@code dir} with default settings, creating it if absent. */
    public static Database open(Path dir) {
        return open(dir, LightningDbConfig.defaults());
    }

    /**
     * Opens the database in {@code dir}, creating the directory and the database if absent. An
     * existing database keeps the page size and key limit it was created with.
     */
    public static Database open(Path dir, LightningDbConfig config) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(config, "config");
        // Nodes the machine lacks are refused before anything is created.
        MemorySettings.placement(config).check(LibNuma.system());
        BackgroundThreads threads = MemorySettings.threads(config, LibNuma.system());
        Engine engine;
        try {
            engine = Engine.open(dir, MemorySettings.engine(config), threads);
        } catch (IOException e) {
            throw wrap(e);
        }
        List<String> changes = RememberedConfig.update(dir, config, !engine.reopened());
        return new Database(config, engine, threads, changes);
    }

    /**
     * What the last open found in the log: records replayed after the checkpoint, and whether a
     * damaged tail (an unacknowledged write torn by a crash) was cut.
     */
    public RecoveryReport recovery() {
        return recovery;
    }

    /**
     * The API's exception for an engine failure: corruption, a locked or foreign directory; any
     * other (refused writes after a failed log sync, I/O) a {@link LightningDbException} with its message.
     */
    static LightningDbException wrap(IOException e) {
        if (e instanceof CorruptFileException || e instanceof CorruptPageException || e instanceof WalCorruptException) {
            return new CorruptDatabaseException(e.getMessage(), e);
        }
        if (e instanceof DirectoryLockedException l) {
            return new DatabaseLockedException(l.directory(), l.holderPid(), e);
        }
        if (e instanceof ForeignDirectoryException f) {
            return new NotADatabaseException(f.directory(), f.problem(), e);
        }
        return new LightningDbException(e.getMessage(), e);
    }

    /**
     * How this open's configuration differs from the one the database was last opened with (kept
     * in its directory as {@code lightning.config.json}), each as "name: last -> now"; empty when
     * they agree or the database is new. Also logged at INFO on open.
     */
    public List<String> configChanges() {
        return configChanges;
    }

    /** Whether this open found an existing database (false: it was created now). */
    public boolean wasReopened() {
        return engine.reopened();
    }

    public Path directory() {
        return engine.directory();
    }

    public LightningDbConfig config() {
        return config;
    }

    /** Which native features are in use. */
    public Capabilities capabilities() {
        return capabilities;
    }

    /** The engine's background threads: how they are pinned, and where each one started. */
    BackgroundThreads backgroundThreads() {
        return threads;
    }

    // ---------------------------------------------------------------- the guard

    /** An engine call with no result: a {@link Engine.Call} itself, so the guard takes it without a wrapper. */
    @FunctionalInterface
    interface EngineAction extends Engine.Call<Void> {
        void act(Engine e) throws IOException;

        @Override
        default Void run(Engine e) throws IOException {
            act(e);
            return null;
        }
    }

    /**
     * Every operation's one guard: refuses a closed handle, holds an epoch for the call (so close
     * waits for it and no page it reaches is reused under it), and turns engine failures into the
     * API's exceptions.
     */
    <R> R guarded(Engine.Call<R> call) {
        try {
            return engine.inEpoch(call);
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    void guardedRun(EngineAction action) {
        guarded(action);
    }

    /** Throws the use-after-close error. */
    void checkOpen() {
        engine.checkOpen();
    }

    /** Refuses a null key or one past the database's key limit. */
    void checkKey(byte[] key) {
        Arguments.checkKey(key, maxKeySize);
    }

    // ---------------------------------------------------------------- single keys

    /** The value of {@code key}, or null when absent. */
    public byte[] get(byte[] key) {
        checkKey(key);
        return guarded(e -> e.get(key));
    }

    /**
     * Zero-copy get: copies the value of {@code key} into {@code dst} when it fits. Returns the
     * value's length (compare with {@code dst.byteSize()} to know whether it was copied), or -1
     * when the key is absent.
     */
    public long get(MemorySegment key, MemorySegment dst) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(dst, "dst");
        Arguments.checkKeyLength(key.byteSize(), maxKeySize);
        return guarded(e -> e.get(key, len -> len <= dst.byteSize() ? dst : null));
    }

    /** Zero-copy get: the value of {@code key} in a segment from {@code allocator}, or null when absent. */
    public MemorySegment get(MemorySegment key, SegmentAllocator allocator) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(allocator, "allocator");
        Arguments.checkKeyLength(key.byteSize(), maxKeySize);
        return guarded(e -> {
            MemorySegment[] out = new MemorySegment[1];
            long n = e.get(key, len -> out[0] = allocator.allocate(len));
            return n < 0 ? null : out[0];
        });
    }

    /** Whether {@code key} is present. */
    public boolean contains(byte[] key) {
        checkKey(key);
        return guarded(e -> e.get(MemorySegment.ofArray(key), len -> null) >= 0);
    }

    /** Sets {@code key} to {@code value}, replacing any previous value. */
    public void put(byte[] key, byte[] value) {
        checkKey(key);
        Arguments.checkValue(value);
        put(MemorySegment.ofArray(key), MemorySegment.ofArray(value));
    }

    /** Zero-copy put from caller-held (for example off-heap) segments. */
    public void put(MemorySegment key, MemorySegment value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Arguments.checkKeyLength(key.byteSize(), maxKeySize);
        Arguments.checkValueLength(value.byteSize());
        guardedRun(e -> e.put(key, value));
    }

    /** Removes {@code key} if present. */
    public void delete(byte[] key) {
        checkKey(key);
        guardedRun(e -> e.delete(MemorySegment.ofArray(key)));
    }

    /**
     * The values of {@code keys} in order (null for absent ones), as of one moment with respect to
     * batches: a {@link WriteBatch} applied concurrently is seen whole or not at all. Pages the keys
     * need that are not in memory are read together, all in flight at once (io_uring), so a
     * multiGet of n keys on disk waits about one device round trip, not n.
     */
    public List<byte[]> multiGet(List<byte[]> keys) {
        Objects.requireNonNull(keys, "keys");
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) == null) {
                throw new NullPointerException("keys[" + i + "]");
            }
            Arguments.checkKeyLength(keys.get(i).length, maxKeySize);
        }
        return guarded(e -> e.multiGet(keys));
    }

    /** A new empty batch for {@link #write}. */
    public WriteBatch newWriteBatch() {
        checkOpen();
        return new WriteBatch(maxKeySize);
    }

    /**
     * Applies every put and delete of {@code batch} atomically: one log record, so after a crash
     * the batch is wholly there or wholly absent, and multi-key readers see all of it or none. If
     * applying fails part-way (a full database), what was applied is undone and the record taken
     * back before the exception is thrown.
     */
    public void write(WriteBatch batch) {
        Objects.requireNonNull(batch, "batch");
        if (batch.size() == 0) {
            checkOpen();
            return;
        }
        guardedRun(e -> e.write(batch.keys, batch.values, "batch of " + batch.size() + " operations", null));
    }

    // ---------------------------------------------------------------- scans

    /** Entries with {@code fromInclusive <= key < toExclusive} in ascending order; null bounds are open. */
    public Cursor scan(byte[] fromInclusive, byte[] toExclusive) {
        return cursor(fromInclusive, toExclusive, false);
    }

    /** Like {@link #scan} in descending key order. */
    public Cursor scanReverse(byte[] fromInclusive, byte[] toExclusive) {
        return cursor(fromInclusive, toExclusive, true);
    }

    /** Entries whose key starts with {@code prefix}, ascending. */
    public Cursor scanPrefix(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return cursor(prefix.length == 0 ? null : prefix, Arguments.prefixEnd(prefix), false);
    }

    /** Entries whose key starts with {@code prefix}, in descending order. */
    public Cursor scanPrefixReverse(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return cursor(prefix.length == 0 ? null : prefix, Arguments.prefixEnd(prefix), true);
    }

    /**
     * Reads the entries with {@code fromInclusive <= key < toExclusive} (null bounds are open) with
     * up to {@code scanThreads} threads and hands each to {@code action}; returns how many. The
     * range is cut at the tree's separators into parts of about {@code scanBatchSize} entries, each
     * read by an ordinary cursor. {@link ScanOrder#KEY_ORDER} calls {@code action} on this thread in
     * ascending key order; {@link ScanOrder#ANY_ORDER} calls it from the scan threads as they read
     * (so it must be thread-safe), faster. As a {@link #scan}, it sees each entry as it is when its
     * leaf is read, not one snapshot of the whole range (a transaction's scan gives that). An
     * exception thrown by {@code action} or by a read ends the scan and is rethrown here. With
     * {@code enableParallelScan} off, or one scan thread, this thread reads the range alone.
     *
     * {@snippet class=io.lightningdb.examples.DatabaseExamples region="parallelScan"}
     */
    public long parallelScan(byte[] fromInclusive, byte[] toExclusive, ScanOrder order, BiConsumer<byte[], byte[]> action) {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(action, "action");
        checkRange(fromInclusive, toExclusive);
        return parallelScans.scan(fromInclusive == null ? null : fromInclusive.clone(),
                toExclusive == null ? null : toExclusive.clone(), order, ParallelScans.arrays(action));
    }

    /**
     * As {@link #parallelScan}, handing {@code action} views of each key and value, valid only
     * during the call (copy what you keep; writing to them changes nothing in the database),
     * instead of new arrays: in any order nothing
     * is allocated per entry, in key order the entries are copied once, into the chunks that cross
     * to this thread. The faster form where the action reads what it needs in place.
     */
    public long parallelScanSegments(byte[] fromInclusive, byte[] toExclusive, ScanOrder order,
            BiConsumer<MemorySegment, MemorySegment> action) {
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(action, "action");
        checkRange(fromInclusive, toExclusive);
        return parallelScans.scan(fromInclusive == null ? null : fromInclusive.clone(),
                toExclusive == null ? null : toExclusive.clone(), order, ParallelScans.segments(action));
    }

    /**
     * Changes how many leaves a scan keeps requested ahead of it ({@code prefetchDistance}) from its
     * next step on, scans already open included; 0 turns prefetch off, a positive value turns it
     * back on. At most 4096.
     *
     * @throws IllegalStateException if the database was opened with {@code prefetchEnabled} off
     */
    public void setPrefetchDistance(int leaves) {
        if (leaves < 0 || leaves > LightningDbConfig.MAX_READ_AHEAD_PAGES) {
            throw new IllegalArgumentException("prefetchDistance must be in [0, " + LightningDbConfig.MAX_READ_AHEAD_PAGES
                    + "] (0 turns prefetch off), got " + leaves);
        }
        engine.setPrefetchDistance(leaves);
    }

    private Cursor cursor(byte[] from, byte[] to, boolean reverse) {
        checkRange(from, to);
        return new Cursor(this, engine.cursor(from == null ? null : from.clone(), to == null ? null : to.clone(), reverse));
    }

    /** Refuses scan bounds past the key limit, and a closed database. */
    void checkRange(byte[] from, byte[] to) {
        if (from != null && from.length > maxKeySize) {
            throw new IllegalArgumentException("fromInclusive of " + from.length + " bytes exceeds maxKeySize " + maxKeySize);
        }
        if (to != null && to.length > maxKeySize + 1) {
            throw new IllegalArgumentException("toExclusive of " + to.length + " bytes exceeds maxKeySize " + maxKeySize);
        }
        checkOpen();
    }

    /** A tree cursor over {@code [from, to)} (null: open); the bounds must be the cursor's own copies. */
    StoreCursor treeCursor(byte[] from, byte[] to, boolean reverse) {
        return engine.cursor(from, to, reverse);
    }

    /** Steps a cursor to its next leaf, in an epoch. */
    boolean advance(StoreCursor c) {
        return guarded(e -> c.next());
    }

    // ---------------------------------------------------------------- transactions

    /**
     * A read-write transaction at {@link IsolationLevel#SNAPSHOT}. Waits up to
     * {@code transactionWaitTimeout} while {@code maxActiveTransactions} are open, then throws
     * {@link TooManyTransactionsException}. See {@link Transaction} for an example.
     */
    public Transaction begin() {
        return begin(IsolationLevel.SNAPSHOT, false);
    }

    /** A read-write transaction at {@code isolation}. */
    public Transaction begin(IsolationLevel isolation) {
        return begin(isolation, false);
    }

    /**
     * A read-only transaction: a consistent snapshot for any number of reads and scans, never
     * refused at commit; its put and delete throw. Close it soon: writes made while it is open
     * keep old versions for it (see {@code maxVersionMemory}).
     *
     * {@snippet class=io.lightningdb.examples.TransactionExamples region="readOnly"}
     */
    public Transaction beginReadOnly() {
        return begin(IsolationLevel.SNAPSHOT, true);
    }

    private Transaction begin(IsolationLevel isolation, boolean readOnly) {
        Objects.requireNonNull(isolation, "isolation");
        EngineTransaction work = Transaction.step(
                () -> engine.transactions().begin(isolation == IsolationLevel.SERIALIZABLE, readOnly));
        return new Transaction(this, work, isolation, readOnly);
    }

    /**
     * Runs {@code body} in a SNAPSHOT transaction and commits it; after a
     * {@link TransactionConflictException} runs it again, up to {@code conflictRetryLimit} more
     * times, waiting about {@code conflictRetryDelay} (doubling each time, jittered) in between,
     * then throws the last conflict. Any other exception rolls back and propagates.
     *
     * {@snippet class=io.lightningdb.examples.TransactionExamples region="increment"}
     */
    public void inTransaction(TransactionBody body) {
        inTransaction(IsolationLevel.SNAPSHOT, body);
    }

    /** {@link #inTransaction(TransactionBody)} at {@code isolation}. */
    public void inTransaction(IsolationLevel isolation, TransactionBody body) {
        Objects.requireNonNull(body, "body");
        callInTransaction(isolation, tx -> {
            body.run(tx);
            return null;
        });
    }

    /** {@link #inTransaction(TransactionBody)} returning what {@code work} returns from the committed run. */
    public <R> R callInTransaction(TransactionFunction<R> work) {
        return callInTransaction(IsolationLevel.SNAPSHOT, work);
    }

    /** {@link #callInTransaction(TransactionFunction)} at {@code isolation}. */
    public <R> R callInTransaction(IsolationLevel isolation, TransactionFunction<R> work) {
        Objects.requireNonNull(work, "work");
        for (int attempt = 1; ; attempt++) {
            try (Transaction tx = begin(isolation, false)) {
                R r = work.apply(tx);
                if (tx.isActive()) {
                    tx.commit();
                }
                return r;
            } catch (TransactionConflictException e) {
                int attempts = attempt;
                if (!Transaction.step(() -> engine.transactions().retryAfterConflict(attempts))) {
                    throw new TransactionConflictException("gave up after " + attempt + " attempts (conflictRetryLimit "
                            + config.conflictRetryLimit() + "): " + e.getMessage(), e.keyInternal(), attempt, e);
                }
            }
        }
    }

    // ---------------------------------------------------------------- management

    /** Counts and cache figures, and which native features are in use. */
    public DatabaseStats stats() {
        return DatabaseStats.of(guarded(Engine::figures), capabilities, config);
    }

    /**
     * Checks the tree's invariants (order, high keys, links, levels, key count) and every page it
     * reads against its checksum. Returns the problems found, empty when the tree is sound. Waits
     * for the pages writers hold; run it when writes are quiet for a meaningful answer.
     */
    public List<String> verify() {
        return verify(ProgressListener.NONE);
    }

    /**
     * As {@link #verify()}, telling {@code progress} how many of the pages in use it has read
     * (the tree's pages and overflow pages; the total counts every page in use).
     */
    public List<String> verify(ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        return guarded(e -> e.verify(progress::progress));
    }

    /**
     * Changes the cache size of the live database, whatever its replacement policy; shrinking
     * evicts down to it at once, and unpins the coldest pinned pages if the hot partition
     * ({@code hotPartitionRatio} of the new size) would be exceeded.
     */
    public void resizeCache(long bytes) {
        long min = Math.max(LightningDbConfig.MIN_CACHE_SIZE, 64L * engine.pageSize());
        if (bytes < min) {
            throw new IllegalArgumentException("cacheSize must be at least " + min + " bytes, got " + bytes);
        }
        guardedRun(e -> e.resizeCache(bytes));
    }

    /**
     * Makes every write so far durable now, whatever the sync mode: for ASYNC, a point up to which
     * nothing can be lost. Cheap when nothing is pending.
     */
    public void flush() {
        guardedRun(Engine::flush);
    }

    /**
     * Writes the changed pages to the file so that the log before them can go, and the next open
     * has nothing to replay. Runs by itself every {@code maxWalSize} bytes of log; writers pause
     * only while the pages they dirtied during it are written (see {@link DatabaseStats}), readers
     * never.
     */
    public void checkpoint() {
        guardedRun(Engine::checkpoint);
    }

    /**
     * Gives the data file's unused space back to the file system: moves the pages that sit past
     * the space the data needs into free slots lower in the file, checkpoints so that nothing
     * durable refers to the old slots, and truncates the file after the highest slot in use. The
     * file never shrinks otherwise, so run it after deleting much of the data. Readers and writers
     * run on meanwhile (pages move copy-on-write, as every write moves them); writers pause only
     * for the checkpoints' brief capture steps, and writes made meanwhile may keep a little of the
     * tail. A crash at any point leaves a database that opens with every acknowledged write. One
     * compaction runs at a time.
     *
     * {@snippet class=io.lightningdb.examples.DatabaseExamples region="compact"}
     */
    public CompactionReport compact() {
        return compact(ProgressListener.NONE);
    }

    /**
     * {@link #compact()}, telling {@code progress} how far it has come (units: pages to move, plus
     * the final checkpoints and the truncation).
     *
     * {@snippet class=io.lightningdb.examples.DatabaseExamples region="progress"}
     */
    public CompactionReport compact(ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        return CompactionReport.of(guarded(e -> e.compact(progress::progress)));
    }

    /**
     * Waits for operations in progress, checkpoints (so the next open replays nothing), and
     * releases all memory and files. Later calls on this handle (and its cursors) throw
     * {@code IllegalStateException}.
     */
    @Override
    public void close() {
        parallelScans.close();
        try {
            engine.close();
        } catch (IOException e) {
            throw wrap(e);
        }
    }
}
