package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.CorruptFileException;
import io.lightningdb.pagefile.Epochs;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import io.lightningdb.pagefile.Superblock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A B-link tree (Lehman and Yao) over the buffer pool, with optimistic lock coupling for readers.
 *
 * <p>Readers take no latch and write no shared memory: at each node they read the page's version,
 * read, validate, and restart on a change. They never follow a pointer they have not validated,
 * so garbage read from a page under change only ever costs a restart. Every node has a right link
 * and a high key; a key at or beyond the high key lives to the right, which is how a reader that
 * raced with a split finds its way.
 *
 * <p>Writers latch one node at a time: the leaf (moving right under latches as needed), then, after
 * a split, the parent level, found again from the root. A delete that leaves a leaf under a
 * quarter full merges it with a neighbour ({@link Merges}); nodes a merge unlinked are recognised
 * by their page type and make readers restart.
 *
 * <pre>{@code
 * BTree tree = BTree.create(pageFile, KeySearch.select(true));
 * tree.put(MemorySegment.ofArray(key), MemorySegment.ofArray(value));
 * byte[] v = tree.get(MemorySegment.ofArray(key));
 * }</pre>
 */
public final class BTree {
    /** Largest value stored: values are addressed by a u32 length and read into one segment. */
    public static final long MAX_VALUE_SIZE = 1L << 30;

    final PageFile file;
    final BufferPool pool;
    final KeySearch ks;
    final Epochs epochs;
    final int pageSize;
    private volatile long root;
    private volatile int height;
    private final AtomicLong keys;
    private final ReentrantLock rootLock = new ReentrantLock();
    private final ThreadLocal<MemorySegment> scratch;

    private BTree(PageFile file, KeySearch ks, long root, int height, long keyCount) {
        this.file = file;
        this.pool = file.pool();
        this.ks = ks;
        this.epochs = file.epochs();
        this.pageSize = file.pageSize();
        this.root = root;
        this.height = height;
        this.keys = new AtomicLong(keyCount);
        this.scratch = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(pageSize, 8));
    }

    /** A new empty tree: one empty leaf as the root. */
    public static BTree create(PageFile file, KeySearch ks) throws IOException {
        long pid = file.allocate();
        Nodes.init(file.pool().page(pid), PageTypes.LEAF, 0);
        file.pool().unlock(pid);
        return new BTree(file, ks, pid, 1, 0);
    }

    /** The tree whose root and height a superblock recorded. */
    public static BTree open(PageFile file, KeySearch ks, long root, int height, long keyCount) throws IOException {
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
        return new BTree(file, ks, root, height, keyCount);
    }

    public long rootPage() {
        return root;
    }

    public int height() {
        return height;
    }

    /** Keys in the tree (exact when no writer is active). */
    public long keyCount() {
        return keys.get();
    }

    public String searchName() {
        return ks.name();
    }

    /** Problems with the tree's invariants (empty when sound); run it while no writer is active. */
    public java.util.List<String> verify() throws IOException {
        return verify(pages -> { });
    }

    /** As {@link #verify()}, telling {@code visited} the pages read so far (nodes and overflow pages). */
    public java.util.List<String> verify(java.util.function.LongConsumer visited) throws IOException {
        return new TreeVerifier(this, visited).run();
    }

    MemorySegment scratch() {
        return scratch.get();
    }

    // ---------------------------------------------------------------- reads

    /** Where a value goes: a destination for {@code len} bytes, or null to stop without copying. */
    @FunctionalInterface
    public interface ValueTarget {
        MemorySegment prepare(long len);
    }

    /**
     * Looks {@code key} up; when found asks {@code target} for room and copies the value there.
     * Returns the value's length, or -1 when the key is absent.
     */
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
        long head = KeyHeads.head(key);
        Epochs.Slot slot = epochs.enter();
        try {
            int unlinked = 0;
            restart:
            while (true) {
                long pid = root;
                while (true) {
                    long w = load ? pool.readLatch(pid) : pool.readLatchResident(pid);
                    if (w == BufferPool.NOT_RESIDENT) {
                        return -2 - pid;
                    }
                    MemorySegment p = pool.page(pid);
                    long next;
                    boolean leaf;
                    byte type;
                    try {
                        type = NodeLayout.type(p);
                        leaf = type == PageTypes.LEAF;
                        if (!Nodes.isNode(type)) {
                            next = 0;
                        } else if (Nodes.beyondHighKey(p, key, head)) {
                            next = right(p);
                        } else if (!leaf) {
                            next = Nodes.route(ks, p, key, head);
                        } else {
                            next = -1;
                        }
                    } catch (RuntimeException garbage) {
                        if (pool.validate(pid, w)) {
                            throw corrupt(pid, garbage);
                        }
                        continue restart;
                    }
                    if (!pool.validate(pid, w)) {
                        continue restart;
                    }
                    if (!Nodes.isNode(type)) {
                        unlinked = unlinkedHit(unlinked, pid, type);
                        continue restart;
                    }
                    if (next != -1) {
                        pid = checkedPid(next, pid);
                        continue;
                    }
                    long r = readLeafValue(pid, w, p, key, head, target);
                    if (r == RESTART) {
                        continue restart;
                    }
                    return r;
                }
            }
        } finally {
            epochs.exit(slot);
        }
    }

    private static final long RESTART = Long.MIN_VALUE;
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

    private long readLeafValue(long pid, long w, MemorySegment p, MemorySegment key, long head, ValueTarget target)
            throws IOException {
        int cell;
        byte kind;
        long len;
        try {
            int r = Nodes.search(ks, p, true, key, head);
            if ((r & 1) == 0) {
                return pool.validate(pid, w) ? -1 : RESTART;
            }
            cell = slot(p, Nodes.clampedCount(p), r >> 1);
            kind = valueKind(p, cell);
            len = valueLen(p, cell);
        } catch (RuntimeException garbage) {
            if (pool.validate(pid, w)) {
                throw corrupt(pid, garbage);
            }
            return RESTART;
        }
        if (!pool.validate(pid, w)) {
            return RESTART;
        }
        MemorySegment dst = target.prepare(len);
        if (dst == null) {
            return len;
        }
        if (kind == VALUE_INLINE) {
            try {
                MemorySegment.copy(p, leafKeyOffset(cell) + keyLen(p, cell), dst, 0, len);
            } catch (RuntimeException garbage) {
                if (pool.validate(pid, w)) {
                    throw corrupt(pid, garbage);
                }
                return RESTART;
            }
            return pool.validate(pid, w) ? len : RESTART;
        }
        long first = p.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, (long) leafKeyOffset(cell) + keyLen(p, cell));
        if (!pool.validate(pid, w)) {
            return RESTART;
        }
        OverflowChains.read(file, first, len, dst);
        return len;
    }

    private long checkedPid(long next, long from) throws CorruptFileException {
        if (next <= 0 || next >= pool.maxPages()) {
            throw new CorruptFileException(file.path(), from * pageSize, "page " + from + " links to page " + next);
        }
        return next;
    }

    CorruptFileException corrupt(long pid, RuntimeException cause) {
        CorruptFileException e = new CorruptFileException(file.path(), pid * pageSize,
                "page " + pid + " is not a well-formed tree node: " + cause);
        e.initCause(cause);
        return e;
    }

    // ---------------------------------------------------------------- writes

    /**
     * Inserts or replaces {@code key}. Returns true if the key was new. Values past the inline
     * limit go to an overflow chain written before the leaf is latched.
     */
    public boolean put(MemorySegment key, MemorySegment value) throws IOException {
        long head = KeyHeads.head(key);
        long len = value.byteSize();
        boolean inline = NodeLayout.inline(pageSize, (int) key.byteSize(), len);
        long overflow = inline ? 0 : OverflowChains.write(file, value);
        byte kind = inline ? VALUE_INLINE : VALUE_OVERFLOW;
        Epochs.Slot slot = epochs.enter();
        boolean installed = false;
        try {
            long pid = lockLeaf(key, head);
            MemorySegment p = pool.page(pid);
            boolean released = false;
            int r;
            long oldChain = 0;
            long oldLen = 0;
            boolean existed;
            try {
                r = Nodes.search(ks, p, true, key, head);
                existed = (r & 1) != 0;
                int idx = r >> 1;
                int room = free(p) + garbage(p);
                if (existed) {
                    int cell = slot(p, count(p), idx);
                    oldLen = valueLen(p, cell);
                    boolean oldInline = valueKind(p, cell) == VALUE_INLINE;
                    if (!oldInline) {
                        oldChain = p.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED,
                                (long) leafKeyOffset(cell) + keyLen(p, cell));
                    }
                    if (inline && oldInline && oldLen == len) {
                        // Same size: overwrite in place, no shifting.
                        MemorySegment.copy(value, 0, p, leafKeyOffset(cell) + keyLen(p, cell), len);
                        pool.unlock(pid);
                        installed = true;
                        return false;
                    }
                    room += ENTRY_OVERHEAD + cellSize(p, true, cell);
                }
                int need = ENTRY_OVERHEAD + leafCellSize((int) key.byteSize(), kind, len);
                if (need <= room) {
                    if (existed) {
                        Nodes.remove(p, true, idx);
                    }
                    if (!Nodes.insertLeaf(p, scratch(), idx, key, head, kind, len, value, overflow)) {
                        throw new IllegalStateException("entry of " + need + " bytes did not fit in " + room);
                    }
                    pool.unlock(pid);
                    installed = true;
                } else {
                    // The split releases the latch on every path and changes nothing when it fails.
                    released = true;
                    Splits.Separator sep = Splits.splitLeafAndInsert(this, pid, idx, existed, key, head, kind, len, value, overflow);
                    installed = true;
                    insertSeparator(sep);
                }
            } catch (IOException | RuntimeException e) {
                if (!installed && !released) {
                    pool.unlockUnchanged(pid);
                }
                throw e;
            }
            if (oldChain != 0) {
                OverflowChains.free(file, oldChain, oldLen);
            }
            if (!existed) {
                keys.incrementAndGet();
            }
            return !existed;
        } catch (IOException | RuntimeException e) {
            if (!installed && overflow != 0) {
                OverflowChains.free(file, overflow, len);
            }
            throw e;
        } finally {
            epochs.exit(slot);
        }
    }

    /** Removes {@code key}; returns whether it was there. */
    public boolean delete(MemorySegment key) throws IOException {
        long head = KeyHeads.head(key);
        Epochs.Slot slot = epochs.enter();
        try {
            long pid = lockLeaf(key, head);
            MemorySegment p = pool.page(pid);
            int r = Nodes.search(ks, p, true, key, head);
            if ((r & 1) == 0) {
                pool.unlockUnchanged(pid);
                return false;
            }
            int cell = slot(p, count(p), r >> 1);
            long chain = valueKind(p, cell) == VALUE_OVERFLOW
                    ? p.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, (long) leafKeyOffset(cell) + keyLen(p, cell))
                    : 0;
            long len = valueLen(p, cell);
            int before = Nodes.usedBytes(p);
            Nodes.remove(p, true, r >> 1);
            int after = Nodes.usedBytes(p);
            int threshold = Merges.underfull(pageSize);
            boolean merge = after < threshold && (before >= threshold || count(p) == 0);
            pool.unlock(pid);
            if (chain != 0) {
                OverflowChains.free(file, chain, len);
            }
            keys.decrementAndGet();
            if (merge) {
                Merges.afterDelete(this, key);
            }
            return true;
        } finally {
            epochs.exit(slot);
        }
    }

    /** Finds the leaf for {@code key} optimistically, latches it, and moves right if it split meanwhile. */
    long lockLeaf(MemorySegment key, long head) throws IOException {
        return lockNode(key, head, 0);
    }

    /**
     * The live node at {@code level} covering {@code key}, exclusively latched; -1 if the tree has
     * no such level. Restarts from the root when it meets a node a merge unlinked meanwhile.
     */
    long lockNode(MemorySegment key, long head, int level) throws IOException {
        for (int unlinked = 0; ; ) {
            long pid = findNode(key, head, level);
            if (pid < 0) {
                return -1;
            }
            pid = lockCovering(pid, key);
            if (pid > 0) {
                return pid;
            }
            unlinked = unlinkedHit(unlinked, -pid, PageTypes.UNLINKED);
        }
    }

    /**
     * Latches {@code pid}, then moves right (latching one node at a time) until it covers
     * {@code key}. Returns the latched node, or minus the page id of an unlinked node it met
     * (latch released): the caller starts over.
     */
    private long lockCovering(long pid, MemorySegment key) throws IOException {
        pool.lock(pid);
        while (true) {
            MemorySegment p = pool.page(pid);
            if (!Nodes.isNode(NodeLayout.type(p))) {
                pool.unlockUnchanged(pid);
                return -pid;
            }
            if (!Nodes.beyondHighKey(p, key)) {
                return pid;
            }
            long next = checkedPid(right(p), pid);
            pool.unlockUnchanged(pid);
            pool.lock(next);
            pid = next;
        }
    }

    /** The node at {@code level} (0 = leaves) whose range holds {@code key}, found optimistically. */
    long findNode(MemorySegment key, long head, int level) throws IOException {
        int unlinked = 0;
        restart:
        while (true) {
            long pid = root;
            while (true) {
                long w = pool.readLatch(pid);
                MemorySegment p = pool.page(pid);
                long next;
                int lvl;
                byte type;
                try {
                    type = NodeLayout.type(p);
                    lvl = NodeLayout.level(p);
                    if (!Nodes.isNode(type)) {
                        next = 0;
                    } else if (Nodes.beyondHighKey(p, key, head)) {
                        next = right(p);
                    } else if (lvl > level) {
                        next = Nodes.route(ks, p, key, head);
                    } else {
                        next = -1;
                    }
                } catch (RuntimeException garbage) {
                    if (pool.validate(pid, w)) {
                        throw corrupt(pid, garbage);
                    }
                    continue restart;
                }
                if (!pool.validate(pid, w)) {
                    continue restart;
                }
                if (!Nodes.isNode(type)) {
                    unlinked = unlinkedHit(unlinked, pid, type);
                    continue restart;
                }
                if (lvl < level) {
                    // The root was replaced since we read it; this level has not been created yet.
                    return -1;
                }
                if (next == -1) {
                    return pid;
                }
                pid = checkedPid(next, pid);
            }
        }
    }

    /** Adds a split's separator to the parent level, splitting upward as far as needed. */
    void insertSeparator(Splits.Separator s) throws IOException {
        while (s != null) {
            s = insertSeparator(s.level(), s.key(), s.child());
        }
    }

    /** Adds {@code sep} -> {@code child} to {@code level}; returns the next separator if that level split. */
    private Splits.Separator insertSeparator(int level, MemorySegment sep, long child) throws IOException {
        long head = KeyHeads.head(sep);
        while (true) {
            if (level >= height && growRoot(level, sep, child)) {
                return null;
            }
            long pid = lockNode(sep, head, level);
            if (pid < 0) {
                continue;
            }
            MemorySegment p = pool.page(pid);
            int idx = Nodes.search(ks, p, false, sep, head) >> 1;
            try {
                if (Nodes.insertInner(p, scratch(), idx, sep, head, child)) {
                    pool.unlock(pid);
                    return null;
                }
            } catch (RuntimeException e) {
                pool.unlockUnchanged(pid);
                throw e;
            }
            return Splits.splitInnerAndInsert(this, pid, idx, sep, head, child);
        }
    }

    /** If the tree is still {@code level} high, puts a new root above the old one; false if someone else did. */
    private boolean growRoot(int level, MemorySegment sep, long child) throws IOException {
        rootLock.lock();
        try {
            if (height != level) {
                return false;
            }
            long oldRoot = root;
            long pid = file.allocate();
            MemorySegment p = pool.page(pid);
            Nodes.init(p, PageTypes.INNER, level);
            leftmost(p, oldRoot);
            Nodes.insertInner(p, scratch(), 0, sep, KeyHeads.head(sep), child);
            pool.unlock(pid);
            root = pid;
            height = level + 1;
            return true;
        } finally {
            rootLock.unlock();
        }
    }
}
