package io.lightningdb.btree;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The verifier's part for values kept in value pages ({@link ValuePages}): each separated value's
 * pieces lie in typed value pages, are live, are named by one leaf entry only and together hold
 * the value's length; and each value page's live count is the bytes its named pieces hold (more
 * would be space no entry can reach again, less a piece counted twice).
 */
final class ValuePagesCheck {
    private final BufferPool pool;
    private final int pageSize;
    /** The verifier's problem list, which caps how many it keeps. */
    private final Consumer<String> problem;
    /** Payload bytes of named pieces per value page met. */
    private final Map<Long, Long> named = new HashMap<>();
    private final Set<Long> pieces = new HashSet<>();

    ValuePagesCheck(BTree tree, Consumer<String> problem) {
        this.pool = tree.pool;
        this.pageSize = tree.pageSize;
        this.problem = problem;
    }

    /** Walks the pieces of the {@code len}-byte value entry {@code entry} of leaf {@code leaf} names at {@code ref}. */
    void value(long leaf, int entry, long ref, long len) throws IOException {
        String where = "page " + leaf + ": entry " + entry + ": separated " + len + "-byte value";
        long held = 0;
        for (int n = 0; ref != 0; n++) {
            long pid = ValuePages.pid(ref);
            int off = ValuePages.offset(ref);
            if (pid <= 0 || pid >= pool.maxPages() || off < ValuePages.FIRST_PIECE
                    || off > pageSize - ValuePages.PIECE_HEADER) {
                problem.accept(where + ": piece " + n + " at page " + pid + " offset " + off + " lies outside the file or page");
                return;
            }
            if (!pieces.add(ref)) {
                problem.accept(where + ": piece " + n + " at page " + pid + " offset " + off + " is named twice");
                return;
            }
            pool.lock(pid);
            try {
                MemorySegment p = pool.page(pid);
                byte type = p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET);
                int size = p.get(ValueLayout.JAVA_SHORT_UNALIGNED, off + ValuePages.PIECE_LEN) & 0xFFFF;
                byte flags = p.get(ValueLayout.JAVA_BYTE, off + ValuePages.PIECE_FLAGS);
                int end = p.get(ValueLayout.JAVA_INT_UNALIGNED, ValuePages.END);
                if (type != PageTypes.VALUES || size == 0 || off + ValuePages.PIECE_HEADER + size > end || end > pageSize) {
                    problem.accept(where + ": page " + pid + " (type " + type + ", end " + end + ") has no piece of "
                            + "1 byte or more at " + off + " (found " + size + " bytes)");
                    return;
                }
                if ((flags & ValuePages.RELEASED) != 0) {
                    problem.accept(where + ": its piece at page " + pid + " offset " + off + " is marked released");
                }
                held += size;
                named.merge(pid, (long) size, Long::sum);
                ref = p.get(ValueLayout.JAVA_LONG_UNALIGNED, off + ValuePages.PIECE_NEXT);
            } finally {
                pool.unlockUnchanged(pid);
            }
            if (held > len) {
                break;
            }
        }
        if (held != len) {
            problem.accept(where + ": its pieces hold " + held + " bytes");
        }
    }

    /** Compares each value page's live count with the bytes of the pieces named in it. */
    void finish() throws IOException {
        for (Map.Entry<Long, Long> e : named.entrySet()) {
            long pid = e.getKey();
            pool.lock(pid);
            int live;
            try {
                live = pool.page(pid).get(ValueLayout.JAVA_INT_UNALIGNED, ValuePages.LIVE);
            } finally {
                pool.unlockUnchanged(pid);
            }
            if (live != e.getValue()) {
                problem.accept("value page " + pid + " counts " + live + " live bytes; its named pieces hold " + e.getValue());
            }
        }
    }
}
