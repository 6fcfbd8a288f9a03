package io.lightningdb.btree;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.lightningdb.pagefile.PageFile;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** The examples in the tree's Javadoc, regions of compiled code (BTreeExamplesTest runs them). */
final class BTreeExamples {
    private BTreeExamples() {}

    static long putGet(PageFile pageFile, byte[] key, byte[] value) throws IOException {
        // @start region="putGet"
        BTree tree = BTree.create(pageFile, KeySearch.select(true));
        tree.put(MemorySegment.ofArray(key), MemorySegment.ofArray(value));
        byte[] out = new byte[64];
        long len = tree.get(MemorySegment.ofArray(key), n -> n <= out.length ? MemorySegment.ofArray(out) : null);
        // @end
        return len;
    }

    /** Returns {lowerBound, upperBound} of {@code key}'s head among {@code count} heads stored from {@code headsOffset}. */
    static int[] search(MemorySegment page, long headsOffset, int count, byte[] key) {
        // @start region="search"
        KeySearch search = KeySearch.select(true);   // once, at open: the vector search where the Vector API is present
        long probe = KeyHeads.head(key);
        int i = search.lowerBound(page, headsOffset, count, probe);
        int end = search.upperBound(page, headsOffset, count, probe);
        // keys [i, end) share the probe's head: compare full keys there; i == end means "insert at i"
        // @end
        return new int[] {i, end};
    }

    static boolean heads(MemorySegment page, long headsOffset, int index) {
        // @start region="heads"
        long a = KeyHeads.head("apple".getBytes(UTF_8));
        long b = KeyHeads.head("banana".getBytes(UTF_8));
        assert a < b;
        page.set(KeyHeads.LAYOUT, headsOffset + (long) index * KeyHeads.BYTES, a); // how nodes store them
        // @end
        return a < b;
    }
}
