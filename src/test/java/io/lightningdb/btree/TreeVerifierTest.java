package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.cache.BufferPool;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The verifier walks every overflow chain and names the leaf, the entry and what is wrong. */
class TreeVerifierTest {
    private static final int PAGE = 4096;

    /** A tree of 40 keys with 10,000-byte values: chains of three overflow pages. */
    private static BTree tree(PageFile f) throws Exception {
        BTree t = BTree.create(f, KeySearch.select(true));
        for (int i = 0; i < 40; i++) {
            t.put(MemorySegment.ofArray(MergeTest.key(i)), MemorySegment.ofArray(new byte[10_000]));
        }
        return t;
    }

    /** The overflow pages whose next link is (or is not) zero. */
    private static List<Long> overflowPages(PageFile f, boolean last) throws Exception {
        return pagesWhere(f, p -> p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET) == PageTypes.OVERFLOW
                && (p.get(ValueLayout.JAVA_LONG_UNALIGNED, OverflowChains.NEXT) == 0) == last);
    }

    /** The pages of the file, in id order, that {@code test} accepts (each read under its latch). */
    static List<Long> pagesWhere(PageFile f, Predicate<MemorySegment> test) throws Exception {
        List<Long> found = new ArrayList<>();
        BufferPool pool = f.pool();
        for (long pid = 1; pid < f.pageCount(); pid++) {
            pool.lock(pid);
            try {
                if (test.test(pool.page(pid))) {
                    found.add(pid);
                }
            } finally {
                pool.unlockUnchanged(pid);
            }
        }
        return found;
    }

    /** Edits page {@code pid} under its latch, as damage that passed the checksum would look. */
    static void change(PageFile f, long pid, Consumer<MemorySegment> edit) throws Exception {
        f.pool().lock(pid);
        edit.accept(f.pool().page(pid));
        f.pool().unlock(pid);
    }

    private static String onlyProblem(BTree t) throws Exception {
        List<String> problems = t.verify();
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    @Test
    void aSoundTreeWithOverflowValuesHasNoProblems() throws Exception {
        try (PageFile f = MergeTest.file("verify-sound", PAGE, 256)) {
            BTree t = tree(f);
            assertEquals(List.of(), t.verify());
            assertEquals(40, overflowPages(f, true).size(), "one chain per value");
        }
    }

    @Test
    void aShortenedChainIsNamed() throws Exception {
        try (PageFile f = MergeTest.file("verify-short", PAGE, 256)) {
            BTree t = tree(f);
            long middle = overflowPages(f, false).get(5);
            change(f, middle, p -> p.set(ValueLayout.JAVA_LONG_UNALIGNED, OverflowChains.NEXT, 0L));
            String p = onlyProblem(t);
            assertTrue(p.matches("page \\d+: entry \\d+: overflow chain of a 10000-byte value holds \\d+ bytes"), p);
        }
    }

    @Test
    void aPageOfAnotherTypeInAChainIsNamed() throws Exception {
        try (PageFile f = MergeTest.file("verify-type", PAGE, 256)) {
            BTree t = tree(f);
            long last = overflowPages(f, true).get(3);
            change(f, last, p -> p.set(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET, PageTypes.LEAF));
            String p = onlyProblem(t);
            assertTrue(p.contains(": page " + last + " has type " + PageTypes.LEAF + " and "), p);
        }
    }

    @Test
    void chainsThatShareAPageAreNamed() throws Exception {
        try (PageFile f = MergeTest.file("verify-shared", PAGE, 256)) {
            BTree t = tree(f);
            List<Long> lasts = overflowPages(f, true);
            List<Long> middles = overflowPages(f, false);
            // The first chain's middle page now continues into some other chain's last page.
            long target = lasts.get(lasts.size() - 1);
            change(f, middles.get(0), p -> p.set(ValueLayout.JAVA_LONG_UNALIGNED, OverflowChains.NEXT, target));
            List<String> problems = t.verify();
            assertTrue(problems.stream().anyMatch(s -> s.contains("already in a chain")), problems.toString());
        }
    }
}
