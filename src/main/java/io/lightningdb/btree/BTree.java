package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.CorruptFileException;
import io.lightningdb.pagefile.Epochs;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import io.lightningdb.pagefile.Superblock;
import io.lightningdb.store.OrderedStore;
import io.lightningdb.store.StoreCursor;
import io.lightningdb.store.ValueTarget;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * A B-link tree (Lehman and Yao) over the buffer pool, with optimistic lock coupling for readers.
 *
 * <p>Readers take no latch and write no shared memory: at each node they read the page's version,
 * read, validate, and restart on a change. They never follow a pointer they have not validated,
 * so garbage read from a page under change only ever costs a restart. Every node has a right link
 * and a high key; a key at or beyond the high key lives to the right, which is how a reader that
 * raced with a split finds its way.
 *
 * <p>This class is the tree's state and its read path; the write path is {@link TreeWriter}: writers
 * latch one node at a time, the leaf (moving right under latches as needed), then, after a split,
 * the parent level, found again from the root. A delete that leaves a leaf under a quarter full
 * merges it with a neighbour ({@link Merges}); nodes a merge unlinked are recognised by their page
 * type and make readers restart. Both paths, and the cursors, find nodes with the one optimistic
 * descent, {@link Descent}.
 *
 * {@snippet class=io.lightningdb.btree.BTreeExamples region="putGet"}
 */
public final class BTree implements OrderedStore {
    /** Largest value stored: values are addressed by a u32 length and read into one segment. */
    public static final long MAX_VALUE_SIZE = 1L << 30;

    final PageFile file;
    final BufferPool pool;
    final KeySearch ks;
    final Epochs epochs;
    final int pageSize;
    private volatile long root;
    private volatile int height;
    final AtomicLong keys;
    /**
     * Key and value bytes of the entries: what a file of this tree holds of use (space
     * amplification). Every put and delete adds to it, from writers side by side, and only stats
     * and the checkpoint's capture (writers held out) read it: an adder, not one contended word.
     */
    final LongAdder liveBytes = new LongAdder();
    private final ThreadLocal<MemorySegment> scratch;
    final ValuePages values;
    /** Values of at least this many bytes (up to a page) go to {@link #values}; MAX_VALUE for none. */
    private volatile int separateFrom = Integer.MAX_VALUE;
    final Descent descent;
    private final TreeWriter writer;
    private final LeafRuns runs;

    private BTree(PageFile file, KeySearch ks, long root, int height, long keyCount, long liveBytes) {
        this.file = file;
        this.pool = file.pool();
        this.ks = ks;
        this.epochs = file.epochs();
        this.pageSize = file.pageSize();
        this.root = root;
        this.height = height;
        this.keys = new AtomicLong(keyCount);
        this.liveBytes.add(liveBytes);
        this.scratch = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(pageSize, 8));
        this.values = new ValuePages(file);
        this.descent = new Descent(this);
        this.writer = new TreeWriter(this);
        this.runs = new LeafRuns(this, writer);
    }

    /** A new empty tree: one empty leaf as the root. */
    public static BTree create(PageFile file, KeySearch ks) throws IOException {
        long pid = file.allocate();
        Nodes.init(file.pool().page(pid), PageTypes.LEAF, 0);
        file.pool().unlock(pid);
        return new BTree(file, ks, pid, 1, 0, 0);
    }

    /**
     * The tree whose root and height a superblock recorded; a {@code liveBytes} of
     * {@link Superblock#LIVE_BYTES_UNKNOWN} (a file from before the count was kept) is counted
     * by reading every leaf once.
     */
    public static BTree open(PageFile file, KeySearch ks, long root, int height, long keyCount, long liveBytes)
            throws IOException {
        long base = file.loadedSuperblock() == null ? 0 : file.loadedSuperblock().fileOffset();
        if (root <= 0 || root >= file.pageCount() || height < 1 || height > 64) {
            throw new CorruptFileException(file.path(), base + Superblock.ROOT_OFFSET, "superblock names root page " + root + " and height "
                    + height + " for a file of " + file.pageCount() + " pages");
        }
        // A height the root disagrees with would make the first root split wait forever for a level
        // that findNode can never reach.
        BufferPool pool = file.pool();
        pool.lock(root);
        int level;
        byte type;
        try {
            level = NodeLayout.level(pool.page(root));
            type = NodeLayout.type(pool.page(root));
        } finally {
            pool.unlockUnchanged(root);
        }
        if (level != height - 1 || type != (height == 1 ? PageTypes.LEAF : PageTypes.INNER)) {
            throw new CorruptFileException(file.path(), base + Superblock.HEIGHT_OFFSET, "superblock says tree height " + height
                    + ", but its root page " + root + " has type " + type + " and level " + level);
        }
        BTree tree = new BTree(file, ks, root, height, keyCount, Math.max(0, liveBytes));
        if (liveBytes == Superblock.LIVE_BYTES_UNKNOWN) {
            tree.liveBytes.add(tree.countLiveBytes());
        }
        return tree;
    }

    /** Key and value bytes in the leaves, read leaf by leaf along the right links (overflow values by their length). */
    long countLiveBytes() throws IOException {
        long bytes = 0;
        long pid = descent.first();
        for (long leaves = 0; pid != 0; leaves++) {
            if (leaves > pool.maxPages()) {
                throw new CorruptFileException(file.path(), 0, "the leaves' right links loop");
            }
            pool.lock(pid);
            long next;
            try {
                MemorySegment p = pool.page(pid);
                if (NodeLayout.type(p) != PageTypes.LEAF) {
                    throw new IllegalStateException("a page of type " + NodeLayout.type(p) + " along the leaves");
                }
                int n = Nodes.clampedCount(p);
                for (int i = 0; i < n; i++) {
                    int cell = NodeLayout.slot(p, n, i);
                    bytes += NodeLayout.keyLen(p, cell) + NodeLayout.valueLen(p, cell);
                }
                next = NodeLayout.right(p);
            } catch (RuntimeException garbage) {
                throw corrupt(pid, garbage);
            } finally {
                pool.unlockUnchanged(pid);
            }
            pid = next == 0 ? 0 : checkedPid(next, pid);
        }
        return bytes;
    }

    public long rootPage() {
        return root;
    }

    @Override
    public int height() {
        return height;
    }

    /** A new root one level up, installed by {@link TreeWriter} under its root lock. */
    void newRoot(long pid, int newHeight) {
        root = pid;
        height = newHeight;
    }

    TreeWriter writer() {
        return writer;
    }

    @Override
    public long keyCount() {
        return keys.get();
    }

    @Override
    public long liveBytes() {
        return liveBytes.sum();
    }

    @Override
    public String searchName() {
        return ks.name();
    }

    /** Problems with the tree's invariants (empty when sound); run it while no writer is active. */
    public List<String> verify() throws IOException {
        return verify(pages -> { });
    }

    /** As {@link #verify()}, telling {@code visited} the pages read so far (nodes and overflow pages). */
    @Override
    public List<String> verify(LongConsumer visited) throws IOException {
        return new TreeVerifier(this, visited).run();
    }

    // ---------------------------------------------------------------- the store's other duties

    @Override
    public boolean put(MemorySegment key, MemorySegment value) throws IOException {
        return writer.put(key, value);
    }

    @Override
    public boolean delete(MemorySegment key) throws IOException {
        return writer.delete(key);
    }

    @Override
    public int applySorted(List<byte[]> keys, List<byte[]> values, int from, byte[][] before) throws IOException {
        return runs.apply(keys, values, from, before);
    }

    @Override
    public byte[][] getAll(List<byte[]> keys) throws IOException {
        return BatchedGets.read(this, keys);
    }

    @Override
    public List<byte[]> splitPoints(byte[] from, byte[] to, int parts) throws IOException {
        return SplitPoints.of(this, from, to, parts);
    }

    @Override
    public StoreCursor cursor(byte[] from, byte[] to, boolean reverse) {
        return new TreeCursor(this, from, to, reverse);
    }

    /** The buffer pool's dirty pages go out; what writers dirty meanwhile the capture takes copy-on-write. */
    @Override
    public void writeBack() throws IOException {
        pool.flush();
    }

    @Override
    public OrderedStore.Checkpoint capture(long logPosition) {
        return new Image(file.capture(root, height, keys.get(), liveBytes.sum(), logPosition));
    }

    @Override
    public void persist(OrderedStore.Checkpoint image, IoAction syncLog) throws IOException {
        file.persist(((Image) image).image(), syncLog::run);
    }

    /** A checkpoint of the tree: the page file's image, with the root, height and key count in its superblock. */
    private record Image(PageFile.Image image) implements OrderedStore.Checkpoint {}

    MemorySegment scratch() {
        return scratch.get();
    }

    // ---------------------------------------------------------------- reads

    /**
     * Looks {@code key} up; when found asks {@code target} for room and copies the value there.
     * Returns the value's length, or -1 when the key is absent.
     */
    @Override
    public long get(MemorySegment key, ValueTarget target) throws IOException {
        return get(key, target, true);
    }

    /**
     * Like {@link #get(MemorySegment, ValueTarget)} but never waits for the file: when the
     * descent needs a page that is not in memory it returns {@link #missingPage} of it instead
     * (a value below -1), so a caller with many keys can load all the pages it misses at once.
     */
    public long getIfResident(MemorySegment key, ValueTarget target) throws IOException {
        return get(key, target, false);
    }

    /** Decodes a {@link #getIfResident} result below -1: the page the descent needed. */
    public static long missingPage(long result) {
        return -2 - result;
    }

    private long get(MemorySegment key, ValueTarget target, boolean load) throws IOException {
        Epochs.Slot slot = epochs.enter();
        try {
            return descent.toKey(key, KeyHeads.head(key), 0, load, target);
        } finally {
            epochs.exit(slot);
        }
    }

    /** The node at {@code level} (0 = leaves) whose range holds {@code key}, found optimistically; -1 if no such level. */
    long findNode(MemorySegment key, long head, int level) throws IOException {
        return descent.toKey(key, head, level, true, null);
    }

    /**
     * Restarts after landing on a page that is no tree node, before calling the file corrupt. A
     * merge makes a node unreachable before it unlatches it, so each such landing means a merge
     * completed since the descent began; only a damaged file links a non-node for good.
     */
    static final int MAX_UNLINKED_RESTARTS = 100_000;

    /** Counts one landing on a non-node page; throws once that cannot be concurrent merges any more. */
    int unlinkedHit(int hits, long pid, byte type) throws CorruptFileException {
        if (hits + 1 >= MAX_UNLINKED_RESTARTS) {
            throw new CorruptFileException(file.path(), pid * pageSize, "page " + pid + " of type " + type
                    + " is linked from the tree but is not a tree node");
        }
        return hits + 1;
    }

    /**
     * The one answer to an optimistic read of {@code pid} (under version {@code w}) that threw:
     * if the page changed meanwhile, the read met a writer and the caller restarts; if it did not,
     * the read met damage, and this throws the corruption naming the page.
     */
    void restartUnlessDamaged(long pid, long w, RuntimeException garbage) throws CorruptFileException {
        if (pool.validate(pid, w)) {
            throw corrupt(pid, garbage);
        }
    }

    /** A link read from page {@code from}, checked to name a page the file can hold. */
    long checkedPid(long next, long from) throws CorruptFileException {
        if (next <= 0 || next >= pool.maxPages()) {
            throw new CorruptFileException(file.path(), from * pageSize, "page " + from + " links to page " + next);
        }
        return next;
    }

    /** Leaves a scan may load ahead at once ({@link ReadAhead}); 0 or 1 turns read-ahead off. Live. */
    public void readAheadPages(int pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("readAheadPages must be >= 0, got " + pages);
        }
        readAheadPages = pages;
    }

    int readAheadPages() {
        return readAheadPages;
    }

    private volatile int readAheadPages;
    private volatile int prefetchDistance;
    private volatile Executor prefetchWorkers;

    /**
     * The workers that load leaves ahead of scans ({@link ReadAhead}) and how many leaves a scan
     * keeps requested ahead of it; null workers or distance 0 for none. Live.
     */
    @Override
    public void prefetchWith(Executor workers, int distance) {
        if (distance < 0) {
            throw new IllegalArgumentException("prefetchDistance must be >= 0, got " + distance);
        }
        prefetchWorkers = workers;
        prefetchDistance = distance;
    }

    @Override
    public void prefetchDistance(int distance) {
        prefetchWith(prefetchWorkers, distance);
    }

    int prefetchDistance() {
        return prefetchDistance;
    }

    Executor prefetchWorkers() {
        return prefetchWorkers;
    }

    /**
     * Keeps values of at least {@code bytes} bytes (and at most about a page) out of the leaves,
     * packed into value pages, from the next write on; 0 keeps every value with its key. Values
     * already stored stay where they are and read the same either way.
     */
    public void separateValuesFrom(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("value separation threshold must be >= 0, got " + bytes);
        }
        separateFrom = bytes == 0 ? Integer.MAX_VALUE : bytes;
    }

    /** Where a new value of this size goes: inline, to value pages, or to an overflow chain. */
    byte kindFor(int keyLen, long valueLen) {
        if (valueLen >= separateFrom && valueLen <= ValuePages.maxValue(pageSize)) {
            return VALUE_SEPARATE;
        }
        return NodeLayout.inline(pageSize, keyLen, valueLen) ? VALUE_INLINE : VALUE_OVERFLOW;
    }

    CorruptFileException corrupt(long pid, RuntimeException cause) {
        CorruptFileException e = new CorruptFileException(file.path(), pid * pageSize,
                "page " + pid + " is not a well-formed tree node: " + cause);
        e.initCause(cause);
        return e;
    }
}
