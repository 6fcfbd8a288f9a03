package io.lightningdb.btree;

import static io.lightningdb.btree.NodeLayout.*;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.PageTypes;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Checks the tree's invariants level by level, following right links: node types and levels, keys
 * strictly ascending and below the high key, high keys ascending along a level and the last node
 * without one, every node's keys at or above its left neighbour's high key, the children of each
 * level exactly the next level's nodes in order, the key count and live bytes, each overflow chain (typed
 * pages, in one chain only, holding the value's length), and each separated value and value page
 * ({@link ValuePagesCheck}). Latches each node while it
 * reads it; meant for a quiet tree (tests, {@code lightning check}).
 */
final class TreeVerifier {
    private final BTree tree;
    private final BufferPool pool;
    private final List<String> problems = new ArrayList<>();
    private final LongConsumer visited;
    private long pagesRead;
    private static final int MAX_PROBLEMS = 100;
    /** The out-of-leaf values of the leaf being checked: entry, first page or piece, value length, kind. */
    private final List<long[]> chains = new ArrayList<>();
    /** Every page met in an overflow chain: a page in two chains is damage. */
    private final BitSet chainPages = new BitSet();
    private final ValuePagesCheck valuePages;

    TreeVerifier(BTree tree, LongConsumer visited) {
        this.tree = tree;
        this.visited = visited;
        this.pool = tree.pool;
        this.valuePages = new ValuePagesCheck(tree, this::problem);
    }

    List<String> run() throws IOException {
        long first = tree.rootPage();
        int level = tree.height() - 1;
        long keys = 0;
        long live = 0;
        List<Long> expectedNext = null;
        while (first != 0 && problems.size() < MAX_PROBLEMS) {
            List<Long> nodes = new ArrayList<>();
            List<Long> children = new ArrayList<>();
            byte[] prevHigh = null;
            long pid = first;
            long seen = 0;
            while (pid != 0 && problems.size() < MAX_PROBLEMS) {
                if (++seen > pool.maxPages()) {
                    problem("level " + level + ": right links loop");
                    break;
                }
                nodes.add(pid);
                visited.accept(++pagesRead);
                pool.lock(pid);
                long right;
                byte[] high;
                try {
                    MemorySegment p = pool.page(pid);
                    byte type = NodeLayout.type(p);
                    boolean leaf = type == PageTypes.LEAF;
                    if ((level == 0) != leaf || (type != PageTypes.LEAF && type != PageTypes.INNER)) {
                        problem("page " + pid + ": type " + type + " at level " + level);
                    }
                    if (NodeLayout.level(p) != level) {
                        problem("page " + pid + ": says level " + NodeLayout.level(p) + ", found at level " + level);
                    }
                    int n = count(p);
                    if (n > Nodes.maxEntries(p) || NodeLayout.free(p) < 0) {
                        problem("page " + pid + ": count " + n + " overflows the page");
                        n = Math.min(n, Nodes.maxEntries(p));
                    }
                    high = Nodes.highKeySlice(p) == null ? null : Nodes.highKeySlice(p).toArray(ValueLayout.JAVA_BYTE);
                    right = NodeLayout.right(p);
                    if ((right == 0) != (high == null)) {
                        problem("page " + pid + ": right link " + right + " but high key " + Arrays.toString(high));
                    }
                    if (!leaf) {
                        children.add(leftmost(p));
                    }
                    byte[] prev = null;
                    chains.clear();
                    for (int i = 0; i < n; i++) {
                        byte[] k = Nodes.keyAt(p, leaf, i).toArray(ValueLayout.JAVA_BYTE);
                        if (KeyHeads.head(k) != head(p, i)) {
                            problem("page " + pid + ": entry " + i + " has a stale key head");
                        }
                        if (prev != null && Arrays.compareUnsigned(prev, k) >= 0) {
                            problem("page " + pid + ": keys " + (i - 1) + " and " + i + " out of order");
                        }
                        if (i == 0 && prevHigh != null && Arrays.compareUnsigned(k, prevHigh) < 0) {
                            problem("page " + pid + ": first key below the left neighbour's high key");
                        }
                        if (high != null && Arrays.compareUnsigned(k, high) >= 0) {
                            problem("page " + pid + ": key " + i + " at or above the high key");
                        }
                        if (!leaf) {
                            children.add(child(p, slot(p, n, i)));
                        } else {
                            live += keyLen(p, slot(p, n, i)) + valueLen(p, slot(p, n, i));
                        }
                        byte kind = leaf ? valueKind(p, slot(p, n, i)) : VALUE_INLINE;
                        if (kind != VALUE_INLINE && kind != VALUE_OVERFLOW && kind != VALUE_SEPARATE) {
                            problem("page " + pid + ": entry " + i + " has value kind " + kind);
                        } else if (kind != VALUE_INLINE) {
                            int cell = slot(p, n, i);
                            chains.add(new long[] {i, p.get(ValueLayout.JAVA_LONG_UNALIGNED,
                                    (long) leafKeyOffset(cell) + keyLen(p, cell)), valueLen(p, cell), kind});
                        }
                        prev = k;
                    }
                    if (leaf) {
                        keys += n;
                    }
                } finally {
                    pool.unlockUnchanged(pid);
                }
                for (long[] c : chains) {
                    if (c[3] == VALUE_SEPARATE) {
                        visited.accept(++pagesRead);
                        valuePages.value(pid, (int) c[0], c[1], c[2]);
                    } else {
                        checkChain(pid, (int) c[0], c[1], c[2]);
                    }
                }
                if (prevHigh != null && high != null && Arrays.compareUnsigned(prevHigh, high) >= 0) {
                    problem("page " + pid + ": high key not above its left neighbour's");
                }
                prevHigh = high;
                pid = link(pid, right, "right link");
            }
            if (expectedNext != null && !expectedNext.equals(nodes)) {
                problem("level " + level + ": nodes by right links " + abbreviate(nodes) + " differ from the children of level "
                        + (level + 1) + " " + abbreviate(expectedNext));
            }
            expectedNext = children;
            first = children.isEmpty() ? 0 : link(nodes.get(0), children.get(0), "leftmost child");
            if (level == 0) {
                break;
            }
            level--;
        }
        valuePages.finish();
        if (keys != tree.keyCount()) {
            problem("leaves hold " + keys + " keys, the tree counts " + tree.keyCount());
        }
        if (live != tree.liveBytes()) {
            problem("leaves hold " + live + " key and value bytes, the tree counts " + tree.liveBytes());
        }
        return problems;
    }

    /** {@code to}, a link read from page {@code from}; 0 (the walk stops there) with a problem if it names no page the file can hold. */
    private long link(long from, long to, String what) {
        if (to != 0 && (to < 0 || to >= pool.maxPages())) {
            problem("page " + from + ": " + what + " " + to + " is outside the file");
            return 0;
        }
        return to;
    }

    /**
     * Walks the overflow chain of entry {@code entry} of leaf {@code leaf}: every page read (so
     * checked against its checksum), typed OVERFLOW, in no other chain, holding together exactly
     * the value's length.
     */
    private void checkChain(long leaf, int entry, long first, long len) throws IOException {
        String where = "page " + leaf + ": entry " + entry + ": overflow chain of a " + len + "-byte value";
        int per = OverflowChains.payloadPerPage(tree.file.pageSize());
        long maxPages = (len + per - 1) / per;
        long held = 0;
        long pages = 0;
        for (long pid = first; pid != 0; pages++) {
            if (pid < 0 || pid >= pool.maxPages()) {
                problem(where + " points at page " + pid + ", outside the file");
                return;
            }
            if (pages == maxPages) {
                problem(where + " goes on past the " + maxPages + " pages it needs, to page " + pid);
                return;
            }
            // Pids past 2^31 (a database over 8 TiB at 4 KiB pages) skip only the shared-page check.
            if (pid <= Integer.MAX_VALUE && chainPages.get((int) pid)) {
                problem(where + " reaches page " + pid + ", already in a chain");
                return;
            }
            if (pid <= Integer.MAX_VALUE) {
                chainPages.set((int) pid);
            }
            long next;
            visited.accept(++pagesRead);
            pool.lock(pid);
            try {
                MemorySegment p = pool.page(pid);
                byte type = p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET);
                int used = p.get(ValueLayout.JAVA_INT_UNALIGNED, OverflowChains.USED);
                if (type != PageTypes.OVERFLOW || used <= 0 || used > per) {
                    problem(where + ": page " + pid + " has type " + type + " and " + used + " bytes, not an overflow "
                            + "page of 1 to " + per);
                    return;
                }
                held += used;
                next = p.get(ValueLayout.JAVA_LONG_UNALIGNED, OverflowChains.NEXT);
            } finally {
                pool.unlockUnchanged(pid);
            }
            pid = next;
        }
        if (held != len) {
            problem(where + " holds " + held + " bytes");
        }
    }

    private static String abbreviate(List<Long> pids) {
        return pids.size() <= 8 ? pids.toString() : pids.subList(0, 8) + "... (" + pids.size() + " pages)";
    }

    private void problem(String s) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(s);
        }
    }
}
