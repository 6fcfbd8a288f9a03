package io.lightningdb.jmh;

import io.lightningdb.btree.KeyHeads;
import io.lightningdb.btree.KeySearch;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-node search: {@link KeySearch#lowerBound} over {@code count} sorted key heads in one off-heap
 * 16 KiB page, scalar vs vector, random probes (half of them heads present in the node). The page
 * stays in L1, so this measures the search itself, not memory latency.
 *
 * {@snippet :
 * java -jar target/benchmarks.jar KeySearchBenchmark
 * }
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class KeySearchBenchmark {
    static final int PAGE = 16384;
    /** Where the heads start, past a node header. */
    static final long HEADS_OFFSET = 64;
    /** Probes cycled through; a power of two, and far more than the branch predictor can learn. */
    static final int PROBES = 4096;

    @Param({"16", "64", "256", "1024"})
    public int count;

    /** "scalar" or "vector": {@code KeySearch.select(impl.equals("vector"))}. */
    @Param({"scalar", "vector"})
    public String impl;

    private Arena arena;
    private MemorySegment page;
    private KeySearch search;
    private long[] probes;
    private int next;

    @Setup(Level.Trial)
    public void setup() {
        search = KeySearch.select(impl.equals("vector"));
        if (!search.name().startsWith(impl)) {
            throw new IllegalStateException("asked for " + impl + ", select gave " + search.name());
        }
        arena = Arena.ofShared();
        page = arena.allocate(PAGE, PAGE);
        SplittableRandom random = new SplittableRandom(42);
        long[] heads = new long[count];
        for (int i = 0; i < count; i++) {
            heads[i] = random.nextLong();
        }
        Arrays.sort(heads);
        for (int i = 0; i < count; i++) {
            page.set(KeyHeads.LAYOUT, HEADS_OFFSET + (long) i * KeyHeads.BYTES, heads[i]);
        }
        probes = new long[PROBES];
        for (int i = 0; i < PROBES; i++) {
            probes[i] = random.nextBoolean() ? heads[random.nextInt(count)] : random.nextLong();
        }
    }

    @Benchmark
    public int lowerBound() {
        return search.lowerBound(page, HEADS_OFFSET, count, probes[next++ & (PROBES - 1)]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("search: " + search.name());
        arena.close();
    }
}
