package io.lightningdb;

import io.lightningdb.btree.BTree;
import io.lightningdb.btree.KeySearch;
import io.lightningdb.btree.TreeCursor;
import io.lightningdb.cache.BufferPool;
import io.lightningdb.cache.CorruptPageException;
import io.lightningdb.pagefile.CorruptFileException;
import io.lightningdb.pagefile.Epochs;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.Superblock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An embedded, ordered key-value database in one directory. Keys are byte strings compared as
 * unsigned bytes; values are byte strings of 0 bytes to 1 GiB. Thread-safe: readers never block
 * and never wait for writers.
 *
 * <pre>{@code
 * try (Database db = Database.open(Path.of("data"))) {
 *     db.put("hello".getBytes(UTF_8), "world".getBytes(UTF_8));
 *     byte[] v = db.get("hello".getBytes(UTF_8));
 *     try (Cursor c = db.scanPrefix("he".getBytes(UTF_8))) {
 *         while (c.next()) { ... c.key() ... c.value() ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Durability: {@link #close()} writes everything and the file then reopens as it was. Crash
 * safety (the write-ahead log) is not part of this version; see the README.
 */
public final class Database implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.lightningdb");
    /** The file in the database directory. */
    public static final String FILE_NAME = "lightning.db";

    private final Path dir;
    private final LightningDbConfig config;
    private final PageFile file;
    private final BufferPool pool;
    private final BTree tree;
    private final Epochs epochs;
    private final int maxKeySize;
    private final Capabilities capabilities;
    private final boolean reopened;
    /** Odd while a batch is being applied; multi-key readers retry when it moved under them. */
    private final AtomicLong batchSeq = new AtomicLong();
    private final ReentrantLock batchLock = new ReentrantLock();
    private volatile boolean closed;

    private Database(Path dir, LightningDbConfig config, PageFile file, BTree tree, boolean reopened) {
        this.dir = dir;
        this.config = config;
        this.file = file;
        this.pool = file.pool();
        this.tree = tree;
        this.epochs = file.epochs();
        this.maxKeySize = file.maxKeySize();
        this.reopened = reopened;
        this.capabilities = Capabilities.detect(config.io(), dir);
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
        Path path = dir.resolve(FILE_NAME);
        long maxPages = config.maxDatabaseSize() / config.pageSize();
        try {
            Files.createDirectories(dir);
            if (Files.exists(path)) {
                PageFile f = PageFile.open(path, config.io(), maxPages, config.cacheSize(), config.cache());
                try {
                    Superblock sb = f.loadedSuperblock();
                    if (sb.pageSize() != config.pageSize()) {
                        LOG.log(Level.INFO, "{0}: pageSize {1} from the file, not the configured {2}",
                                path, sb.pageSize(), config.pageSize());
                    }
                    BTree t = BTree.open(f, KeySearch.select(config.enableSimdSearch()), sb.rootPage(),
                            sb.treeHeight(), sb.keyCount());
                    return new Database(dir, config, f, t, true);
                } catch (IOException | RuntimeException e) {
                    f.close();
                    throw e;
                }
            }
            PageFile f = PageFile.create(path, config.pageSize(), config.maxKeySize(), config.io(), maxPages,
                    config.cacheSize(), config.cache());
            try {
                BTree t = BTree.create(f, KeySearch.select(config.enableSimdSearch()));
                f.persist(f.capture(t.rootPage(), t.height(), 0, 0));
                return new Database(dir, config, f, t, false);
            } catch (IOException | RuntimeException e) {
                f.close();
                Files.deleteIfExists(path);
                throw e;
            }
        } catch (IOException e) {
            throw wrap(e);
        }
    }

    static LightningDbException wrap(IOException e) {
        if (e instanceof CorruptFileException || e instanceof CorruptPageException) {
            return new CorruptDatabaseException(e.getMessage(), e);
        }
        return new LightningDbException(e.getMessage(), e);
    }

    /** Whether this open found an existing database (false: it was created now). */
    public boolean wasReopened() {
        return reopened;
    }

    public Path directory() {
        return dir;
    }

    public LightningDbConfig config() {
        return config;
    }

    /** Which native features are in use. */
    public Capabilities capabilities() {
        return capabilities;
    }

    // ---------------------------------------------------------------- argument checks

    static void checkKey(byte[] key, int maxKeySize) {
        Objects.requireNonNull(key, "key");
        checkKeyLength(key.length, maxKeySize);
    }

    static void checkKeyLength(long len, int maxKeySize) {
        if (len < 1 || len > maxKeySize) {
            throw new IllegalArgumentException("key of " + len + " bytes is outside [1, " + maxKeySize
                    + "] (maxKeySize " + maxKeySize + ")");
        }
    }

    static void checkValue(byte[] value) {
        Objects.requireNonNull(value, "value");
        checkValueLength(value.length);
    }

    static void checkValueLength(long len) {
        if (len > BTree.MAX_VALUE_SIZE) {
            throw new IllegalArgumentException("value of " + len + " bytes exceeds the limit of " + BTree.MAX_VALUE_SIZE);
        }
    }

    /** Throws the use-after-close error. */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException("database is closed");
        }
    }

    /** Enters an operation: refuses after close, and is waited for by close. */
    private Epochs.Slot enter() {
        checkOpen();
        Epochs.Slot s = epochs.enter();
        if (closed) {
            epochs.exit(s);
            throw new IllegalStateException("database is closed");
        }
        return s;
    }

    // ---------------------------------------------------------------- single keys

    /** The value of {@code key}, or null when absent. */
    public byte[] get(byte[] key) {
        checkKey(key, maxKeySize);
        Epochs.Slot s = enter();
        try {
            byte[][] out = new byte[1][];
            long n = tree.get(MemorySegment.ofArray(key), len -> {
                out[0] = new byte[(int) len];
                return MemorySegment.ofArray(out[0]);
            });
            return n < 0 ? null : out[0];
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    /**
     * Zero-copy get: copies the value of {@code key} into {@code dst} when it fits. Returns the
     * value's length (compare with {@code dst.byteSize()} to know whether it was copied), or -1
     * when the key is absent.
     */
    public long get(MemorySegment key, MemorySegment dst) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(dst, "dst");
        checkKeyLength(key.byteSize(), maxKeySize);
        Epochs.Slot s = enter();
        try {
            return tree.get(key, len -> len <= dst.byteSize() ? dst : null);
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    /** Zero-copy get: the value of {@code key} in a segment from {@code allocator}, or null when absent. */
    public MemorySegment get(MemorySegment key, SegmentAllocator allocator) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(allocator, "allocator");
        checkKeyLength(key.byteSize(), maxKeySize);
        Epochs.Slot s = enter();
        try {
            MemorySegment[] out = new MemorySegment[1];
            long n = tree.get(key, len -> out[0] = allocator.allocate(len));
            return n < 0 ? null : out[0];
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    /** Whether {@code key} is present. */
    public boolean contains(byte[] key) {
        checkKey(key, maxKeySize);
        Epochs.Slot s = enter();
        try {
            return tree.get(MemorySegment.ofArray(key), len -> null) >= 0;
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    /** Sets {@code key} to {@code value}, replacing any previous value. */
    public void put(byte[] key, byte[] value) {
        checkKey(key, maxKeySize);
        checkValue(value);
        put(MemorySegment.ofArray(key), MemorySegment.ofArray(value));
    }

    /** Zero-copy put from caller-held (for example off-heap) segments. */
    public void put(MemorySegment key, MemorySegment value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkKeyLength(key.byteSize(), maxKeySize);
        checkValueLength(value.byteSize());
        Epochs.Slot s = enter();
        try {
            tree.put(key, value);
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    /** Removes {@code key} if present. */
    public void delete(byte[] key) {
        checkKey(key, maxKeySize);
        Epochs.Slot s = enter();
        try {
            tree.delete(MemorySegment.ofArray(key));
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    // ---------------------------------------------------------------- many keys

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
            checkKeyLength(keys.get(i).length, maxKeySize);
        }
        Epochs.Slot s = enter();
        try {
            while (true) {
                long seq = batchSeq.get();
                if ((seq & 1) != 0) {
                    Thread.onSpinWait();
                    continue;
                }
                List<byte[]> out = MultiGet.read(tree, pool, keys);
                if (batchSeq.get() == seq) {
                    return out;
                }
            }
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    /** A new empty batch for {@link #write}. */
    public WriteBatch newWriteBatch() {
        checkOpen();
        return new WriteBatch(maxKeySize);
    }

    /**
     * Applies every put and delete of {@code batch}, atomically for multi-key readers. If applying
     * fails part-way (a full disk), what was applied is undone before the exception is thrown.
     */
    public void write(WriteBatch batch) {
        Objects.requireNonNull(batch, "batch");
        Epochs.Slot s = enter();
        batchLock.lock();
        try {
            int n = batch.size();
            byte[][] before = new byte[n][];
            int applied = 0;
            batchSeq.incrementAndGet();
            try {
                for (; applied < n; applied++) {
                    byte[] k = batch.keys.get(applied);
                    before[applied] = get(k);
                    byte[] v = batch.values.get(applied);
                    if (v == null) {
                        tree.delete(MemorySegment.ofArray(k));
                    } else {
                        tree.put(MemorySegment.ofArray(k), MemorySegment.ofArray(v));
                    }
                }
            } catch (IOException | RuntimeException e) {
                undo(batch, before, applied, e);
                throw e instanceof IOException io ? wrap(io) : (RuntimeException) e;
            } finally {
                batchSeq.incrementAndGet();
            }
        } finally {
            batchLock.unlock();
            epochs.exit(s);
        }
    }

    private void undo(WriteBatch batch, byte[][] before, int applied, Exception cause) {
        for (int i = applied - 1; i >= 0; i--) {
            try {
                MemorySegment k = MemorySegment.ofArray(batch.keys.get(i));
                if (before[i] == null) {
                    tree.delete(k);
                } else {
                    tree.put(k, MemorySegment.ofArray(before[i]));
                }
            } catch (IOException | RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
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
        return cursor(prefix.length == 0 ? null : prefix, prefixEnd(prefix), false);
    }

    /** The smallest key above every key starting with {@code prefix}, or null if there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    private Cursor cursor(byte[] from, byte[] to, boolean reverse) {
        if (from != null && from.length > maxKeySize) {
            throw new IllegalArgumentException("fromInclusive of " + from.length + " bytes exceeds maxKeySize " + maxKeySize);
        }
        if (to != null && to.length > maxKeySize + 1) {
            throw new IllegalArgumentException("toExclusive of " + to.length + " bytes exceeds maxKeySize " + maxKeySize);
        }
        checkOpen();
        return new Cursor(this, new TreeCursor(tree, from == null ? null : from.clone(), to == null ? null : to.clone(), reverse));
    }

    boolean advance(TreeCursor c) {
        Epochs.Slot s = enter();
        try {
            return c.next();
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    // ---------------------------------------------------------------- management

    /** Counts and cache figures, and which native features are in use. */
    public DatabaseStats stats() {
        Epochs.Slot s = enter();
        try {
            return new DatabaseStats(tree.keyCount(), file.pageCount(), file.freePages(), tree.height(), file.pageSize(),
                    pool.capacityBytes(), pool.residentPages() * file.pageSize(), pool.accesses(), pool.hitRatio(),
                    pool.faults(), pool.evictions(), pool.pinnedPages(), pool.offHeapBytes(), tree.searchName(),
                    capabilities);
        } finally {
            epochs.exit(s);
        }
    }

    /**
     * Checks the tree's invariants (order, high keys, links, levels, key count) and every page it
     * reads against its checksum. Returns the problems found, empty when the tree is sound. Waits
     * for the pages writers hold; run it when writes are quiet for a meaningful answer.
     */
    public List<String> verify() {
        Epochs.Slot s = enter();
        try {
            return tree.verify();
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    /**
     * Changes the cache size of the live database, whatever its replacement policy; shrinking
     * evicts down to it at once, and unpins the coldest pinned pages if the hot partition
     * ({@code hotPartitionRatio} of the new size) would be exceeded.
     */
    public void resizeCache(long bytes) {
        long min = Math.max(LightningDbConfig.MIN_CACHE_SIZE, 64L * file.pageSize());
        if (bytes < min) {
            throw new IllegalArgumentException("cacheSize must be at least " + min + " bytes, got " + bytes);
        }
        Epochs.Slot s = enter();
        try {
            pool.resize(bytes);
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            epochs.exit(s);
        }
    }

    /**
     * Writes everything to the file and syncs it; the database stays open. The file is consistent
     * on disk if no single-key write runs concurrently (batches are excluded while it runs).
     */
    public void flush() {
        Epochs.Slot s = enter();
        batchLock.lock();
        try {
            file.persist(file.capture(tree.rootPage(), tree.height(), tree.keyCount(), 0));
        } catch (IOException e) {
            throw wrap(e);
        } finally {
            batchLock.unlock();
            epochs.exit(s);
        }
    }

    /**
     * Waits for operations in progress, writes everything, and releases all memory and files.
     * Later calls on this handle (and its cursors) throw {@code IllegalStateException}.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        epochs.awaitQuiescence();
        try {
            try {
                file.persist(file.capture(tree.rootPage(), tree.height(), tree.keyCount(), 0));
            } finally {
                file.close();
            }
        } catch (IOException e) {
            throw wrap(e);
        }
    }
}
