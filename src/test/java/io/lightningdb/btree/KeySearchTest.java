package io.lightningdb.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Which search select() picks, and that a JVM without the vector module never loads vector code. */
class KeySearchTest {
    private static final long RACE_MILLIS = 200;

    @Test
    void selectFalseIsScalar() {
        KeySearch s = KeySearch.select(false);
        assertTrue(s instanceof ScalarKeySearch, s.getClass().getName());
        assertEquals("scalar", s.name());
    }

    @Test
    void selectTrueIsVectorUnderTheTestJvm() {
        KeySearch s = KeySearch.select(true);
        assertTrue(s instanceof VectorKeySearch, "the suite runs with --add-modules jdk.incubator.vector, got " + s.name());
        int bits = jdk.incubator.vector.VectorShape.preferredShape().vectorBitSize();
        assertEquals("vector-" + bits, s.name());
    }

    /** Runs {@link SelectMain} in a JVM without --add-modules, logging every class it loads. */
    @Test
    void withoutTheModuleSelectTrueIsScalarAndNoVectorClassIsLoaded() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + Path.of("target", "test-classes").toAbsolutePath();
        Process p = new ProcessBuilder(java, "-Xlog:class+load=info", "-cp", classPath, SelectMain.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM hung");
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains(SelectMain.RESULT_PREFIX + "scalar"), out);
        assertTrue(lines.stream().anyMatch(l -> l.contains(KeySearch.class.getName() + " ")), "class loading was not logged:\n" + out);
        assertFalse(lines.stream().anyMatch(l -> l.contains(VectorKeySearch.class.getName()) || l.contains(KeySearch.VECTOR_MODULE)),
                "vector code was loaded without the module:\n" + out);
    }

    /**
     * Optimistic readers search while a writer rewrites the heads and count: every answer stays
     * within the page's heads and nothing throws.
     */
    @Test
    void searchingAPageAWriterIsChangingNeverFails() throws Exception {
        SplittableRandom seeds = Seeds.random("KeySearchTest.race");
        long writerSeed = seeds.nextLong();
        int pageSize = 4096;
        long headsOffset = 24;
        int maxCount = KeyHeads.fit(MemorySegment.ofArray(new byte[pageSize]), headsOffset, Integer.MAX_VALUE);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment page = arena.allocate(pageSize, pageSize);
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(writerSeed);
                while (!stop.get()) {
                    // count at offset 0 as a node header would hold it; sometimes sorted, sometimes not.
                    page.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0, r.nextInt());
                    long[] heads = KeySearchAgreementTest.sortedHeads(r, 1 + r.nextInt(maxCount), r.nextInt(6));
                    if (r.nextBoolean()) {
                        heads[r.nextInt(heads.length)] = r.nextLong();
                    }
                    KeySearchAgreementTest.write(page, headsOffset, heads);
                }
            });
            try {
                List<KeySearch> searches = List.of(KeySearch.select(false), KeySearch.select(true));
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RACE_MILLIS);
                long searched = 0;
                while (System.nanoTime() < end) {
                    int count = page.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 0); // garbage, unclamped
                    long probe = seeds.nextLong();
                    int bound = KeyHeads.fit(page, headsOffset, count);
                    for (KeySearch s : searches) {
                        int l = s.lowerBound(page, headsOffset, count, probe);
                        int u = s.upperBound(page, headsOffset, count, probe);
                        assertTrue(l >= 0 && l <= bound && u >= 0 && u <= bound,
                                s.name() + ": " + l + ", " + u + " outside [0, " + bound + "] for count " + count);
                    }
                    searched++;
                }
                assertTrue(searched > 0);
            } finally {
                stop.set(true);
                writer.join();
            }
        }
    }

    @Test
    void headsOfRealKeys() {
        byte[][] keys = {"apple".getBytes(StandardCharsets.UTF_8), "banana".getBytes(StandardCharsets.UTF_8),
                "banana split".getBytes(StandardCharsets.UTF_8), "cherry".getBytes(StandardCharsets.UTF_8)};
        long[] heads = Arrays.stream(keys).mapToLong(KeyHeads::head).toArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(4096);
            KeySearchAgreementTest.write(page, 64, heads);
            long probe = KeyHeads.head("banana s".getBytes(StandardCharsets.UTF_8));
            for (KeySearch s : List.of(KeySearch.select(false), KeySearch.select(true))) {
                // "banana split"'s head is "banana s"; "banana" is padded with zeros, so it sorts before.
                assertEquals(2, s.lowerBound(page, 64, keys.length, probe), s.name());
                assertEquals(3, s.upperBound(page, 64, keys.length, probe), s.name());
                long banana = KeyHeads.head("banana".getBytes(StandardCharsets.UTF_8));
                assertEquals(1, s.lowerBound(page, 64, keys.length, banana), s.name());
                assertEquals(2, s.upperBound(page, 64, keys.length, banana), s.name());
            }
        }
    }
}
