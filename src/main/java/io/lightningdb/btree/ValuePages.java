package io.lightningdb.btree;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.CorruptFileException;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Values kept out of the leaves, packed into value pages (WiscKey's key-value separation, in
 * pages). A leaf then holds a 1 KB value's key and an 8-byte reference instead of the value, so
 * leaves stay dense whatever their fill, and value pages are filled end to end: one fill of a
 * random load's leaves (about 69%) no longer multiplies the bytes of every value.
 *
 * <p>New values are appended to one open page; a value that does not fit its remainder continues
 * in the next page (a second piece), so a page's unused tail is under {@link #PIECE_HEADER} +
 * {@link #MIN_PIECE} bytes. A value replaced by one of the same length is overwritten in place (under its leaf's
 * latch, so the file does not grow under updates); any other replacement or a delete releases its
 * pieces, and a page whose pieces are all released is freed. Readers read a value after the
 * leaf that names it, under the versions of the value's pages ({@link #read}); they may see a
 * same-length replacement made after the leaf was read, a value the key held during the read.
 * Released pieces are never written again and pages are freed through the file's epochs, so a
 * reader inside its epoch never finds a piece it reads reused.
 *
 * <p>Page layout (docs/file-format.md, "Value pages"): u8 type VALUES at 4, u32 live payload bytes
 * at 16, u32 end (first byte after the last piece) at 20, pieces from 24. A piece: u16 payload
 * length, u8 flags ({@link #RELEASED}), u8 reserved, u64 reference of the next piece (0 = last),
 * payload. A reference is {@code pageId << 16 | offset of the piece in its page}.
 */
final class ValuePages {
    static final int LIVE = 16;
    static final int END = 20;
    static final int FIRST_PIECE = 24;
    static final int PIECE_LEN = 0;
    static final int PIECE_FLAGS = 2;
    static final int PIECE_NEXT = 4;
    static final int PIECE_HEADER = 12;
    static final byte RELEASED = 1;
    /**
     * The smallest piece started in an open page's remainder: below it the page is sealed (the
     * append moves on), so a page's end says by itself whether appends may still come.
     */
    static final int MIN_PIECE = 64;
    static final int OFFSET_BITS = 16;

    private final PageFile file;
    private final BufferPool pool;
    private final int pageSize;
    private final ReentrantLock appends = new ReentrantLock();
    /** The page appends go to (0 = none yet) and its end; guarded by {@link #appends}. */
    private long openPid;
    private int openEnd;

    ValuePages(PageFile file) {
        this.file = file;
        this.pool = file.pool();
        this.pageSize = file.pageSize();
    }

    static long ref(long pid, int offset) {
        return pid << OFFSET_BITS | offset;
    }

    static long pid(long ref) {
        return ref >>> OFFSET_BITS;
    }

    static int offset(long ref) {
        return (int) (ref & ((1 << OFFSET_BITS) - 1));
    }

    /** The largest value kept in value pages: one that fits a fresh page in one piece. */
    static int maxValue(int pageSize) {
        return pageSize - FIRST_PIECE - PIECE_HEADER;
    }

    /** Whether no append goes to a page of this end any more. */
    private boolean sealed(int end) {
        return pageSize - end - PIECE_HEADER < MIN_PIECE;
    }

    /** Appends {@code value} (at most {@link #maxValue} bytes) and returns its reference. */
    long append(MemorySegment value) throws IOException {
        int len = (int) value.byteSize();
        appends.lock();
        try {
            int room = openPid == 0 ? -1 : pageSize - openEnd - PIECE_HEADER;
            // Below MIN_PIECE the page is sealed, and a releaser may free it once empty: never
            // write there again, even a value small enough to fit.
            if (room >= len && room >= MIN_PIECE) {
                long ref = ref(openPid, openEnd);
                writeFresh(openPid, openEnd, value, 0, len, 0);
                openEnd += PIECE_HEADER + len;
                return ref;
            }
            long next = newPage();
            if (room >= MIN_PIECE) {
                // The open page's remainder takes the value's start; the rest opens the next page.
                long ref = ref(openPid, openEnd);
                writeFresh(next, FIRST_PIECE, value, room, len - room, 0);
                writeFresh(openPid, openEnd, value, 0, room, ref(next, FIRST_PIECE));
                openPid = next;
                openEnd = FIRST_PIECE + PIECE_HEADER + len - room;
                return ref;
            }
            writeFresh(next, FIRST_PIECE, value, 0, len, 0);
            openPid = next;
            openEnd = FIRST_PIECE + PIECE_HEADER + len;
            return ref(next, FIRST_PIECE);
        } finally {
            appends.unlock();
        }
    }

    /** A new empty value page (zeroed by the allocation), unlatched. */
    private long newPage() throws IOException {
        long pid = file.allocate();
        MemorySegment p = pool.page(pid);
        p.set(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET, PageTypes.VALUES);
        p.set(ValueLayout.JAVA_INT_UNALIGNED, END, FIRST_PIECE);
        pool.unlock(pid);
        return pid;
    }

    /** Writes a new piece of {@code n} bytes of {@code value} from {@code from} at {@code offset} of page {@code pid}. */
    private void writeFresh(long pid, int offset, MemorySegment value, long from, int n, long next) throws IOException {
        pool.lock(pid);
        MemorySegment p = pool.page(pid);
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset + PIECE_LEN, (short) n);
        p.set(ValueLayout.JAVA_BYTE, offset + PIECE_FLAGS, (byte) 0);
        p.set(ValueLayout.JAVA_LONG_UNALIGNED, offset + PIECE_NEXT, next);
        MemorySegment.copy(value, from, p, offset + PIECE_HEADER, n);
        p.set(ValueLayout.JAVA_INT_UNALIGNED, LIVE, p.get(ValueLayout.JAVA_INT_UNALIGNED, LIVE) + n);
        p.set(ValueLayout.JAVA_INT_UNALIGNED, END, offset + PIECE_HEADER + n);
        pool.unlock(pid);
    }

    /**
     * Overwrites the value at {@code ref} with {@code value} of the same length; the caller holds
     * the latch of the leaf that names it. Every piece's page is latched before any byte changes
     * (so a failed read changes nothing) and released after the last: a reader that validates
     * every piece's page at the end (as {@link #read} does) sees the old value or the new one.
     */
    void overwrite(long ref, MemorySegment value) throws IOException {
        long len = value.byteSize();
        long[] pids = new long[2];
        int[] offs = new int[2];
        int[] lens = new int[2];
        int n = 0;
        try {
            for (long done = 0; done < len; n++) {
                long pid = checkedPid(ref, len, done);
                if (n == pids.length) {
                    throw damaged(pid, offset(ref), len, done, "is a third piece of one value");
                }
                pool.lock(pid);
                pids[n] = pid; // unlatched below on every path from here, damaged piece included
                offs[n] = offset(ref);
                MemorySegment p = pool.page(pid);
                lens[n] = piece(p, pid, offs[n], len, done);
                done += lens[n];
                ref = p.get(ValueLayout.JAVA_LONG_UNALIGNED, offs[n] + PIECE_NEXT);
            }
        } catch (IOException | RuntimeException e) {
            // pids[n] is set when the piece after the last counted one was latched and then failed.
            for (int i = Math.min(n, pids.length - 1); i >= 0; i--) {
                if (pids[i] != 0) {
                    pool.unlockUnchanged(pids[i]);
                }
            }
            throw e;
        }
        long done = 0;
        for (int i = 0; i < n; i++) {
            MemorySegment.copy(value, done, pool.page(pids[i]), offs[i] + PIECE_HEADER, lens[i]);
            done += lens[i];
        }
        for (int i = n - 1; i >= 0; i--) {
            pool.unlock(pids[i]);
        }
    }

    /**
     * Releases the {@code len}-byte value at {@code ref}; the caller holds the latch of the leaf
     * that named it and has taken the reference out. A page left with no live piece that no
     * append will reach again is freed (reused once readers of this epoch are gone).
     */
    void release(long ref, long len) throws IOException {
        long done = 0;
        while (done < len) {
            long pid = checkedPid(ref, len, done);
            int off = offset(ref);
            pool.lock(pid);
            MemorySegment p = pool.page(pid);
            int n;
            boolean empty;
            try {
                n = piece(p, pid, off, len, done);
                if ((p.get(ValueLayout.JAVA_BYTE, off + PIECE_FLAGS) & RELEASED) != 0) {
                    throw new CorruptFileException(file.path(), pid * pageSize + off,
                            "value page " + pid + ": the piece at " + off + " was already released");
                }
                p.set(ValueLayout.JAVA_BYTE, off + PIECE_FLAGS, RELEASED);
                int live = p.get(ValueLayout.JAVA_INT_UNALIGNED, LIVE) - n;
                p.set(ValueLayout.JAVA_INT_UNALIGNED, LIVE, Math.max(0, live));
                empty = live <= 0 && sealed(p.get(ValueLayout.JAVA_INT_UNALIGNED, END));
                ref = p.get(ValueLayout.JAVA_LONG_UNALIGNED, off + PIECE_NEXT);
            } catch (IOException | RuntimeException e) {
                pool.unlockUnchanged(pid);
                throw e;
            }
            pool.unlock(pid);
            if (empty) {
                file.free(pid);
            }
            done += n;
        }
    }

    /**
     * Reads the {@code len}-byte value at {@code ref} into {@code dst}: each piece under its
     * page's version, and the first piece's page validated again after the second, so a value
     * overwritten in place meanwhile (which holds both pages until it is done) reads whole, old
     * or new. Pages are freed through the epochs, so inside the caller's epoch a piece read is
     * never a page reused for something else.
     */
    void read(long ref, long len, MemorySegment dst) throws IOException {
        while (true) {
            long firstPid = 0;
            long firstVersion = 0;
            int pieces = 0;
            long done = 0;
            long at = ref;
            while (done < len) {
                long pid = checkedPid(at, len, done);
                int off = offset(at);
                while (true) {
                    long w = pool.readLatch(pid);
                    MemorySegment p = pool.page(pid);
                    // Clamped before validation: a page under change may hold anything.
                    int stored = p.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + PIECE_LEN) & 0xFFFF;
                    int n = (int) Math.min(Math.min(stored, pageSize - off - PIECE_HEADER), len - done);
                    long next = p.get(ValueLayout.JAVA_LONG_UNALIGNED, off + PIECE_NEXT);
                    byte type = p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET);
                    MemorySegment.copy(p, off + PIECE_HEADER, dst, done, n);
                    if (pool.validate(pid, w)) {
                        if (type != PageTypes.VALUES) {
                            throw damaged(pid, off, len, done, "is a page of type " + type);
                        }
                        piece(p, pid, off, len, done);
                        if (pieces++ == 0) {
                            firstPid = pid;
                            firstVersion = w;
                        }
                        done += n;
                        at = next;
                        break;
                    }
                }
            }
            if (pieces <= 1 || pool.validate(firstPid, firstVersion)) {
                return;
            }
        }
    }

    /** The page of the piece at {@code ref}, checked to lie in the file. */
    private long checkedPid(long ref, long len, long done) throws CorruptFileException {
        long pid = pid(ref);
        int off = offset(ref);
        if (pid <= 0 || pid >= pool.maxPages() || off < FIRST_PIECE || off > pageSize - PIECE_HEADER) {
            throw new CorruptFileException(file.path(), Math.max(0, pid) * pageSize, "a " + len
                    + "-byte separated value breaks after " + done + " bytes: its next piece is at page " + pid
                    + " offset " + off + ", outside the file or the page");
        }
        return pid;
    }

    /** The payload length of the piece at {@code off} of a consistent page {@code p}, checked against the value. */
    private int piece(MemorySegment p, long pid, int off, long len, long done) throws CorruptFileException {
        int n = p.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + PIECE_LEN) & 0xFFFF;
        long next = p.get(ValueLayout.JAVA_LONG_UNALIGNED, off + PIECE_NEXT);
        boolean last = done + n == len;
        if (n == 0 || off + PIECE_HEADER + n > pageSize || done + n > len || last != (next == 0)) {
            throw damaged(pid, off, len, done, "holds a piece of " + n + " bytes" + (next == 0 ? "" : " continued"));
        }
        return n;
    }

    private CorruptFileException damaged(long pid, int off, long len, long done, String what) {
        return new CorruptFileException(file.path(), pid * pageSize + off, "value page " + pid + " at " + off
                + ", piece of a " + len + "-byte value after " + done + " bytes, " + what);
    }
}
