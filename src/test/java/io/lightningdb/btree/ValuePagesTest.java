package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.pagefile.CorruptFileException;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Value pages: values pack four 1,000-byte values to a 4 KiB page, straddle page boundaries in two
 * pieces, and a damaged page or piece is a {@link CorruptFileException} naming the page on a read
 * and a named problem in {@code verify}, never garbage.
 */
class ValuePagesTest {
    private static final int PAGE = 4096;

    private static byte[] value(int i, int len) {
        byte[] v = new byte[len];
        Arrays.fill(v, (byte) i);
        return v;
    }

    /** 40 keys with 1,000-byte values (or {@code len}), kept in value pages. */
    private static BTree tree(PageFile f, int len) throws Exception {
        BTree t = BTree.create(f, KeySearch.select(true));
        t.separateValuesFrom(512);
        for (int i = 0; i < 40; i++) {
            t.put(MemorySegment.ofArray(MergeTest.key(i)), MemorySegment.ofArray(value(i, len)));
        }
        return t;
    }

    private static List<Long> valuePages(PageFile f) throws Exception {
        return TreeVerifierTest.pagesWhere(f, p -> p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET) == PageTypes.VALUES);
    }

    private static void change(PageFile f, long pid, Consumer<MemorySegment> edit) throws Exception {
        TreeVerifierTest.change(f, pid, edit);
    }

    /** The exception reading every key back meets. */
    private static CorruptFileException readingAllFails(BTree t) {
        return assertThrows(CorruptFileException.class, () -> {
            for (int i = 0; i < 40; i++) {
                BTreeModelTest.get(t, MergeTest.key(i));
            }
        });
    }

    @Test
    void kiloByteValuesPackFourToAPage() throws Exception {
        try (PageFile f = MergeTest.file("vpages-pack", PAGE, 256)) {
            BTree t = tree(f, 1000);
            assertEquals(10, valuePages(f).size(), "40 values of 1,000 bytes, 4 to a page");
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(value(i, 1000), BTreeModelTest.get(t, MergeTest.key(i)));
            }
            assertEquals(List.of(), t.verify());
        }
    }

    @Test
    void valuesThatDoNotFitTheRemainderStraddleTwoPages() throws Exception {
        try (PageFile f = MergeTest.file("vpages-straddle", PAGE, 256)) {
            BTree t = tree(f, 1500);
            // 40 x 1,512 bytes of pieces (with headers) over 4,072-byte page bodies: 15 pages, no tail waste.
            assertEquals(15, valuePages(f).size());
            for (int i = 0; i < 40; i++) {
                assertArrayEquals(value(i, 1500), BTreeModelTest.get(t, MergeTest.key(i)));
            }
            assertEquals(List.of(), t.verify());
            // Deleting every value frees every sealed page: only the open one stays.
            for (int i = 0; i < 40; i++) {
                t.delete(MemorySegment.ofArray(MergeTest.key(i)));
            }
            assertEquals(List.of(), t.verify());
        }
    }

    @Test
    void aDamagedPieceLengthIsNamedOnReadAndByVerify() throws Exception {
        try (PageFile f = MergeTest.file("vpages-length", PAGE, 256)) {
            BTree t = tree(f, 1000);
            long pid = valuePages(f).get(2);
            change(f, pid, p -> p.set(ValueLayout.JAVA_SHORT_UNALIGNED, ValuePages.FIRST_PIECE + ValuePages.PIECE_LEN,
                    (short) 4000));
            CorruptFileException e = readingAllFails(t);
            assertTrue(e.getMessage().contains("value page " + pid + " at " + ValuePages.FIRST_PIECE), e.getMessage());
            List<String> problems = t.verify();
            assertTrue(problems.stream().anyMatch(s -> s.endsWith("separated 1000-byte value: its pieces hold 4000 bytes")),
                    problems.toString());
            assertTrue(problems.contains("value page " + pid + " counts 4000 live bytes; its named pieces hold 7000"),
                    problems.toString());
        }
    }

    @Test
    void aPageOfAnotherTypeIsNamedOnReadAndByVerify() throws Exception {
        try (PageFile f = MergeTest.file("vpages-type", PAGE, 256)) {
            BTree t = tree(f, 1000);
            long pid = valuePages(f).get(1);
            change(f, pid, p -> p.set(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET, PageTypes.LEAF));
            CorruptFileException e = readingAllFails(t);
            assertTrue(e.getMessage().contains("is a page of type " + PageTypes.LEAF), e.getMessage());
            List<String> problems = t.verify();
            assertTrue(problems.stream().anyMatch(s -> s.contains("page " + pid + " (type " + PageTypes.LEAF)),
                    problems.toString());
        }
    }

    @Test
    void aLiveCountThatDisagreesWithTheNamedPiecesIsNamed() throws Exception {
        try (PageFile f = MergeTest.file("vpages-live", PAGE, 256)) {
            BTree t = tree(f, 1000);
            long pid = valuePages(f).get(0);
            change(f, pid, p -> p.set(ValueLayout.JAVA_INT_UNALIGNED, ValuePages.LIVE, 3000));
            List<String> problems = t.verify();
            assertEquals(List.of("value page " + pid + " counts 3000 live bytes; its named pieces hold 4000"), problems);
        }
    }
}
