package io.lightningdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
    /** ASYNC so a run's updates are not one fsync each: the tests check the bench, not the disk. */
    static final LightningDbConfig FAST = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC)
            .cacheSize(16L << 20).build();

    static BenchSpec spec(Workload w, String test) {
        return BenchSpec.builder().workload(w).keyCount(2_000).valueSize(64).threads(2)
                .duration(Duration.ofMillis(600)).warmup(Duration.ofMillis(100)).seed(Seeds.seed(test)).build();
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void everyWorkloadRunsAndMeasures(Workload w) throws Exception {
        Path dir = TestDirs.fresh("bench-" + w.label());
        BenchSpec spec = spec(w, "everyWorkloadRunsAndMeasures-" + w.label());
        List<String> phases = new CopyOnWriteArrayList<>();
        BenchResult r = BenchRunner.run(dir, new BenchTarget("t", FAST), spec,
                (label, phase, done, total, ops) -> phases.add(phase + " " + done + "/" + total));
        assertEquals(0, r.errors(), () -> "errors: " + r.errorSamples());
        assertEquals(spec.keyCount(), r.load().operations());
        assertNotNull(r.load().latency(OpType.INSERT));
        assertTrue(r.run().operations() > 0, "no operations measured");
        assertEquals(r.run().operations(), r.run().latencies().stream().mapToLong(LatencySummary::count).sum());
        for (OpType op : OpType.values()) {
            LatencySummary l = r.run().latency(op);
            if (w.proportion(op) == 0) {
                assertNull(l, op + " ran though the mix has none");
                continue;
            }
            assertNotNull(l, op + " never ran");
            assertTrue(l.p50Micros() > 0 && l.p50Micros() <= l.p90Micros() && l.p90Micros() <= l.p99Micros()
                    && l.p99Micros() <= l.p999Micros() && l.p999Micros() <= l.maxMicros(), l.toString());
            assertTrue(l.distribution().size() > 3, "distribution points: " + l.distribution().size());
        }
        // 600 ms at 30 ms per sample: about 20 points; a loaded machine may stretch the last one only.
        assertTrue(r.throughput().size() >= 15, "throughput points: " + r.throughput().size());
        assertTrue(r.throughput().stream().allMatch(p -> p.opsPerSecond() >= 0));
        assertTrue(phases.contains("load " + spec.keyCount() + "/" + spec.keyCount()), phases.toString());
        assertTrue(phases.stream().anyMatch(p -> p.startsWith("warmup")));
        assertTrue(phases.contains("run 600/600"), phases.toString());
        TestDirs.deleteTree(dir);
    }

    @Test
    void twoConfigsRunOneAfterTheOtherEachInItsOwnDirectory() throws Exception {
        Path parent = TestDirs.fresh("bench-vs");
        BenchSpec spec = spec(Workload.B, "twoConfigsRunOneAfterTheOtherEachInItsOwnDirectory");
        LightningDbConfig other = FAST.toBuilder().walSyncMode(WalSyncMode.BATCH).build();
        List<String> labels = new CopyOnWriteArrayList<>();
        List<BenchResult> results = BenchRunner.runAll(parent, List.of(new BenchTarget("async", FAST),
                new BenchTarget("batch/x", other)), spec, (label, phase, done, total, ops) -> labels.add(label));
        assertEquals(List.of("async", "batch/x"), results.stream().map(BenchResult::label).toList());
        assertEquals(List.of("async", "batch/x"), labels.stream().distinct().toList());
        assertTrue(Files.exists(parent.resolve("1-async").resolve(Database.FILE_NAME)));
        assertTrue(Files.exists(parent.resolve("2-batch_x").resolve(Database.FILE_NAME)));
        for (BenchResult r : results) {
            assertEquals(0, r.errors(), () -> r.label() + ": " + r.errorSamples());
            assertTrue(r.run().operations() > 0);
            assertEquals(spec, r.spec());
        }
        assertTrue(results.get(0).configJson().contains("\"walSyncMode\" : \"ASYNC\"")
                || results.get(0).configJson().contains("\"walSyncMode\":\"ASYNC\""), results.get(0).configJson());
        assertTrue(results.get(1).configJson().contains("BATCH"), results.get(1).configJson());
        Comparison c = Comparison.of(results.get(0), results.get(1));
        assertEquals(results.get(1).run().opsPerSecond() / results.get(0).run().opsPerSecond(), c.opsPerSecondRatio(),
                1e-9);
        TestDirs.deleteTree(parent);
    }

    @Test
    void refusesAUsedDirectoryAndTwiceTheSameLabel() throws Exception {
        Path dir = TestDirs.fresh("bench-used");
        Files.writeString(dir.resolve("something"), "x");
        BenchSpec spec = spec(Workload.C, "refusesAUsedDirectoryAndTwiceTheSameLabel");
        String m = assertThrows(IllegalArgumentException.class,
                () -> BenchRunner.run(dir, new BenchTarget("t", FAST), spec, BenchProgress.NONE)).getMessage();
        assertTrue(m.startsWith("dir: ") && m.contains("is not empty"), m);
        m = assertThrows(IllegalArgumentException.class, () -> BenchRunner.runAll(dir.resolve("sub"),
                List.of(new BenchTarget("t", FAST), new BenchTarget("t", FAST)), spec, BenchProgress.NONE)).getMessage();
        assertEquals("label: 't' is given twice; each config needs its own", m);
        assertThrows(IllegalArgumentException.class, () -> new BenchTarget(" ", FAST));
        TestDirs.deleteTree(dir);
    }

    /**
     * A process per phase: a load kept, then phases against it without loading; inserts of one phase
     * (D) are found by the next, whose reads of the newest keys (D again) then find them all.
     */
    @Test
    void phasesRunAgainstTheDatabaseAnEarlierRunKept() throws Exception {
        Path parent = TestDirs.fresh("bench-existing");
        List<BenchTarget> targets = List.of(new BenchTarget("t", FAST));
        BenchSpec load = spec(Workload.LOAD, "phasesRunAgainstTheDatabaseAnEarlierRunKept");
        BenchResult loaded = BenchRunner.runAll(parent, targets, load, BenchProgress.NONE, false).get(0);
        Path dir = parent.resolve("1-t");
        long afterLoad;
        try (Database db = Database.open(dir, FAST)) {
            afterLoad = BenchRunner.presentKeys(db, load.keyCount(), dir);
        }
        // The measured inserts and those of the warmup before them.
        assertTrue(afterLoad >= load.keyCount() + loaded.run().operations(), "the load's keys and its inserts: " + afterLoad);
        try (Database db = Database.open(dir, FAST)) {
            assertNotNull(db.get(Keys.key(afterLoad - 1)));
            assertNull(db.get(Keys.key(afterLoad)));
        }
        for (Workload w : List.of(Workload.D, Workload.A, Workload.D)) {
            BenchSpec phase = BenchSpec.builder().workload(w).keyCount(load.keyCount()).valueSize(load.valueSize())
                    .threads(2).duration(Duration.ofMillis(400)).warmup(Duration.ZERO).seed(load.seed())
                    .readBeforeUpdate(true).build();
            BenchResult r = BenchRunner.runAll(parent, targets, phase, BenchProgress.NONE, true).get(0);
            assertEquals(0, r.errors(), () -> w + " errors: " + r.errorSamples());
            assertEquals(0, r.load().operations(), "no load phase");
            assertTrue(r.run().operations() > 0);
        }
        try (Database db = Database.open(dir, FAST)) {
            assertTrue(BenchRunner.presentKeys(db, load.keyCount(), dir) > afterLoad, "D inserted after the load");
        }
        String m = assertThrows(IllegalArgumentException.class, () -> BenchRunner.runExisting(parent.resolve("none"),
                targets.get(0), load, BenchProgress.NONE)).getMessage();
        assertTrue(m.startsWith("dir: ") && m.contains("holds no database"), m);
        BenchSpec more = BenchSpec.builder().workload(Workload.C).keyCount(load.keyCount() * 100).valueSize(64).build();
        m = assertThrows(IllegalArgumentException.class,
                () -> BenchRunner.runExisting(dir, targets.get(0), more, BenchProgress.NONE)).getMessage();
        assertTrue(m.contains("was not loaded with --keys " + more.keyCount()), m);
        TestDirs.deleteTree(parent);
    }

    /** Updates that read first check what they read, as reads do. */
    @Test
    void updatesThatReadFirstCountAWrongRecord() throws Exception {
        Path dir = TestDirs.fresh("bench-rmw-update");
        int keys = 20;
        try (Database db = Database.open(dir, FAST)) {
            for (long i = 0; i < keys; i++) {
                db.put(Keys.key(i), Keys.value(i == 3 ? 4 : i, 1, 32));
            }
            BenchSpec spec = BenchSpec.builder().workload(Workload.A).keyCount(keys).valueSize(32)
                    .seed(Seeds.seed("updatesThatReadFirstCountAWrongRecord")).readBeforeUpdate(true).build();
            Errors errors = new Errors();
            Worker.State state = new Worker.State();
            state.phase = Worker.State.MEASURE;
            InsertTracker tracker = new InsertTracker(keys);
            Worker worker = new Worker(db, spec, new KeyChooser(Workload.Distribution.UNIFORM, keys, tracker), tracker,
                    state, errors, new java.util.SplittableRandom(spec.seed()));
            Thread t = Thread.ofPlatform().start(worker);
            // Reads of key 3 fail until the first update of it, which fails too (it read first), and fixes it.
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (errors.count(OpType.UPDATE) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            state.phase = Worker.State.STOP;
            t.join();
            assertEquals(1, errors.count(OpType.UPDATE), errors.samples().toString());
            List<String> samples = errors.samples();
            assertTrue(samples.size() == 10 || samples.stream().anyMatch(m -> m.startsWith("update: ")
                    && m.contains("(key number 3): value belongs to key number 4")), samples.toString());
        }
        TestDirs.deleteTree(dir);
    }

    /** A missing key, a value under the wrong key and a foreign key in a scanned range are all counted. */
    @Test
    void readsAndScansCountWhatIsWrong() throws Exception {
        Path dir = TestDirs.fresh("bench-errors");
        long seed = Seeds.seed("readsAndScansCountWhatIsWrong");
        int keys = 50;
        try (Database db = Database.open(dir, FAST)) {
            for (long i = 0; i < keys; i++) {
                if (i != 7) {
                    db.put(Keys.key(i), Keys.value(i == 8 ? 9 : i, 1, 32));
                }
            }
            db.put("userzzzzzzzzzzzzzzzzzzzz".getBytes(java.nio.charset.StandardCharsets.US_ASCII), new byte[32]);
            for (Workload w : List.of(Workload.READ, Workload.SCAN)) {
                BenchSpec spec = BenchSpec.builder().workload(w).keyCount(keys).valueSize(32).maxScanLength(keys + 1)
                        .seed(seed).build();
                Errors errors = new Errors();
                Worker.State state = new Worker.State();
                state.phase = Worker.State.MEASURE;
                InsertTracker tracker = new InsertTracker(keys);
                Worker worker = new Worker(db, spec, new KeyChooser(w.distribution(), keys, tracker), tracker, state,
                        errors, new java.util.SplittableRandom(seed));
                Thread t = Thread.ofPlatform().start(worker);
                Thread.sleep(300);
                state.phase = Worker.State.STOP;
                t.join();
                List<String> samples = errors.samples();
                OpType op = w == Workload.READ ? OpType.READ : OpType.SCAN;
                assertTrue(errors.count(op) > 0 && errors.total() == errors.count(op), samples.toString());
                assertTrue(worker.latencies().count() > 0, "good operations were timed too");
                if (w == Workload.READ) {
                    assertTrue(samples.stream().anyMatch(s -> s.startsWith("read: ") && s.contains("(key number 7): "
                            + "missing, though it was written")), samples.toString());
                    assertTrue(samples.stream().anyMatch(s -> s.contains("(key number 8): value belongs to key number 9")),
                            samples.toString());
                } else {
                    assertTrue(samples.stream().anyMatch(s -> s.contains("userzzzzzzzzzzzzzzzzzzzz, which is no bench key")
                            || s.contains("value belongs to key number 9")), samples.toString());
                }
                assertTrue(samples.size() <= Errors.SAMPLES);
            }
        }
        TestDirs.deleteTree(dir);
    }
}
