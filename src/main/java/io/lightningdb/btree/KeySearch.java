package io.lightningdb.btree;

import java.lang.foreign.MemorySegment;

/**
 * Searches a node's sorted array of key heads ({@link KeyHeads}): {@code count} longs stored with
 * {@link KeyHeads#LAYOUT} from {@code headsOffset} in an off-heap page, in ascending signed order.
 *
 * {@snippet class=io.lightningdb.btree.BTreeExamples region="search"}
 *
 * <p><b>Garbage in, no exception out.</b> Readers are optimistic: they may search a page a writer
 * is changing, then validate and retry. So the heads may be unsorted and {@code count} or
 * {@code headsOffset} nonsense; a search then returns some index in {@code [0, fit]}, where
 * {@code fit} is {@link KeyHeads#fit(MemorySegment, long, int)}, never throws, never reads outside
 * the page and always ends. Only on sorted heads is the index the documented bound.
 *
 * <p>Implementations are stateless and safe for use by any number of threads.
 */
public interface KeySearch {
    /** The module that {@link #select(boolean)} needs for the vector implementation. */
    String VECTOR_MODULE = "jdk.incubator.vector";

    /**
     * The first index {@code i} in {@code [0, count)} with {@code head[i] >= probe} (signed), or
     * {@code count} when there is none: where {@code probe} would be inserted before its equals.
     */
    int lowerBound(MemorySegment page, long headsOffset, int count, long probe);

    /**
     * The first index {@code i} in {@code [0, count)} with {@code head[i] > probe} (signed), or
     * {@code count} when there is none: where {@code probe} would be inserted after its equals.
     */
    default int upperBound(MemorySegment page, long headsOffset, int count, long probe) {
        // head > probe is head >= probe + 1 for every probe but the largest, above which nothing is.
        return probe == Long.MAX_VALUE
                ? KeyHeads.fit(page, headsOffset, count)
                : lowerBound(page, headsOffset, count, probe + 1);
    }

    /** Which implementation this is: {@code "scalar"}, or {@code "vector-"} and the vector bits. */
    String name();

    /**
     * The vector implementation when {@code enableSimd} is true, the module
     * {@value #VECTOR_MODULE} is in the boot layer ({@code --add-modules jdk.incubator.vector}) and
     * the preferred vector holds at least 2 longs; otherwise the scalar one. The two give the same
     * answers; only speed differs.
     */
    static KeySearch select(boolean enableSimd) {
        if (enableSimd && ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent()) {
            // Vector classes are named only past this check, so a JVM without the module never links them.
            KeySearch vector = VectorKeySearch.createOrNull();
            if (vector != null) {
                return vector;
            }
        }
        return ScalarKeySearch.INSTANCE;
    }
}
