package io.lightningdb.btree;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.CorruptFileException;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Values too large for a leaf live in a chain of overflow pages, written before the leaf points
 * at them and never changed afterwards: a reader that validated the leaf may read the chain
 * without further checks on its shape, because its pages are reused only after every reader of
 * the epoch in which it was unlinked has left.
 *
 * <p>Page layout: u8 type OVERFLOW at 4, u64 next page at 8 (0 ends the chain), u32 bytes used at
 * 16, payload from 24.
 */
final class OverflowChains {
    static final int NEXT = 8;
    static final int USED = 16;
    static final int PAYLOAD = 24;

    private OverflowChains() {}

    static int payloadPerPage(int pageSize) {
        return pageSize - PAYLOAD;
    }

    /** Writes {@code value} into a new chain and returns its first page. */
    static long write(PageFile file, MemorySegment value) throws IOException {
        BufferPool pool = file.pool();
        int per = payloadPerPage(file.pageSize());
        long len = value.byteSize();
        int pages = (int) Math.max(1, (len + per - 1) / per);
        long[] ids = new long[pages];
        try {
            for (int i = 0; i < pages; i++) {
                ids[i] = file.allocate();
                pool.unlock(ids[i]);
            }
        } catch (IOException | RuntimeException e) {
            for (long id : ids) {
                if (id != 0) {
                    file.free(id);
                }
            }
            throw e;
        }
        for (int i = 0; i < pages; i++) {
            long pid = ids[i];
            pool.lock(pid);
            MemorySegment p = pool.page(pid);
            long from = (long) i * per;
            int n = (int) Math.min(per, len - from);
            p.set(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET, PageTypes.OVERFLOW);
            p.set(ValueLayout.JAVA_LONG_UNALIGNED, NEXT, i + 1 < pages ? ids[i + 1] : 0L);
            p.set(ValueLayout.JAVA_INT_UNALIGNED, USED, n);
            MemorySegment.copy(value, from, p, PAYLOAD, n);
            pool.unlock(pid);
        }
        return ids[0];
    }

    /** Reads {@code len} bytes of the chain starting at {@code first} into {@code dst}. */
    static void read(PageFile file, long first, long len, MemorySegment dst) throws IOException {
        BufferPool pool = file.pool();
        int per = payloadPerPage(file.pageSize());
        long done = 0;
        long pid = first;
        while (done < len) {
            if (pid <= 0 || pid >= pool.maxPages()) {
                throw new CorruptFileException(file.path(), pid * file.pageSize(), "overflow chain of a " + len
                        + "-byte value breaks after " + done + " bytes at page " + pid);
            }
            while (true) {
                long w = pool.readLatch(pid);
                MemorySegment p = pool.page(pid);
                int used = Math.min(p.get(ValueLayout.JAVA_INT_UNALIGNED, USED), per);
                long next = p.get(ValueLayout.JAVA_LONG_UNALIGNED, NEXT);
                int n = (int) Math.min(Math.max(used, 0), len - done);
                // Read before validating: after it the page may already be evicted (reading zeros).
                byte type = p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET);
                MemorySegment.copy(p, PAYLOAD, dst, done, n);
                if (pool.validate(pid, w)) {
                    if (type != PageTypes.OVERFLOW || n <= 0) {
                        throw new CorruptFileException(file.path(), pid * file.pageSize(),
                                "page " + pid + " should continue an overflow chain");
                    }
                    done += n;
                    pid = next;
                    break;
                }
            }
        }
    }

    /** Frees every page of the chain (reused once readers of this epoch are gone). */
    static void free(PageFile file, long first, long len) throws IOException {
        BufferPool pool = file.pool();
        int per = payloadPerPage(file.pageSize());
        long pages = Math.max(1, (len + per - 1) / per);
        long pid = first;
        for (long i = 0; i < pages && pid != 0; i++) {
            pool.lock(pid);
            long next = pool.page(pid).get(ValueLayout.JAVA_LONG_UNALIGNED, NEXT);
            pool.unlockUnchanged(pid);
            file.free(pid);
            pid = next;
        }
    }
}
