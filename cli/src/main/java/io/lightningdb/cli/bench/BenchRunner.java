package io.lightningdb.cli.bench;

import io.lightningdb.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Runs a bench: opens a fresh database with the target's config, loads the keys, runs the workload
 * with the spec's threads for the warmup and then the measured duration, closes the database, and
 * returns what it measured. {@link #runAll} runs several configs one after another in the same
 * process, each in its own subdirectory, with the same spec and seed ({@code --vs}), after an
 * unmeasured warm-up run so the first config does not pay for compiling the code.
 *
 * {@snippet :
 * List<BenchResult> r = BenchRunner.runAll(Path.of("bench-data"), List.of(
 *         new BenchTarget("default", LightningDbConfig.defaults()),
 *         new BenchTarget("oltp", Preset.OLTP.builder().build())), spec, BenchProgress.NONE);
 * }
 *
 * <p>The run is closed-loop (each thread issues its next operation when the last returns), as YCSB
 * runs without a target rate: latencies are service times, not response times under a fixed load.
 */
public final class BenchRunner {
    /** How often progress is reported (the brief asks for at least every 100 ms). */
    static final long PROGRESS_NANOS = 50_000_000L;
    /** Keys of the unmeasured warm-up run. */
    static final long WARMUP_KEYS = 10_000;

    private BenchRunner() {}

    /**
     * Runs every target in {@code parent}/{@code <n>-<label>} (n from 1, the label made safe for a file
     * name), in order.
     *
     * @throws IllegalArgumentException when there is no target, or two share a label, or a
     *     subdirectory is not empty
     */
    public static List<BenchResult> runAll(Path parent, List<BenchTarget> targets, BenchSpec spec,
            BenchProgress progress) {
        return runAll(parent, targets, spec, progress, false);
    }

    /**
     * As {@link #runAll(Path, List, BenchSpec, BenchProgress)}; with {@code existing}, each target
     * runs against the database an earlier run left in its subdirectory ({@link #runExisting}),
     * without a load and without the warm-up run: a process per phase, as YCSB's {@code bin/ycsb}
     * runs its phases, each starting with a cold JVM and whatever the database brings back itself.
     */
    public static List<BenchResult> runAll(Path parent, List<BenchTarget> targets, BenchSpec spec,
            BenchProgress progress, boolean existing) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: at least one config to bench");
        }
        Set<String> labels = new HashSet<>();
        for (BenchTarget t : targets) {
            if (!labels.add(t.label())) {
                throw new IllegalArgumentException("label: '" + t.label() + "' is given twice; each config needs its own");
            }
        }
        if (!existing) {
            warmUp(parent.resolve("0-jit-warmup"), targets.get(0), spec);
        }
        List<BenchResult> results = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            BenchTarget t = targets.get(i);
            String name = (i + 1) + "-" + t.label().replaceAll("[^A-Za-z0-9._-]", "_");
            // Each config starts from a collected heap, not from the previous one's garbage.
            System.gc();
            Path dir = parent.resolve(name);
            results.add(existing ? runExisting(dir, t, spec, progress) : run(dir, t, spec, progress));
        }
        return results;
    }

    /**
     * Runs {@code spec} against a new database in {@code dir} (absent or empty: the bench's reads
     * check every value against its key, so it loads its own keys into a fresh database). The
     * database is left in {@code dir}; deleting it is the caller's choice.
     *
     * @throws IllegalArgumentException when {@code dir} holds anything
     */
    public static BenchResult run(Path dir, BenchTarget target, BenchSpec spec, BenchProgress progress) {
        requireEmpty(dir);
        Errors errors = new Errors();
        SplittableRandom random = new SplittableRandom(spec.seed());
        String label = target.label();
        try (Database db = Database.open(dir, target.config())) {
            PhaseResult load = LoadPhase.run(db, spec, errors, random.split(),
                    done -> progress.update(label, "load", done, spec.keyCount(), done));
            RunPhase run = new RunPhase(db, spec, spec.keyCount(), errors, random.split(), label, progress);
            PhaseResult measured = run.run();
            return new BenchResult(label, target.config().toJson(), spec, load, measured, run.throughput(),
                    errors.samples());
        }
    }

    /**
     * Runs {@code spec}'s workload, without a load, against the database an earlier run with the
     * same {@code keyCount} and {@code valueSize} left in {@code dir} ({@code --keep}). Inserts
     * continue after the keys earlier runs inserted, which are found by probing (inserts claim key
     * numbers in order).
     *
     * @throws IllegalArgumentException when {@code dir} holds no database, or one without the
     *     spec's keys
     */
    public static BenchResult runExisting(Path dir, BenchTarget target, BenchSpec spec, BenchProgress progress) {
        if (!Files.isDirectory(dir) || isEmpty(dir)) {
            throw new IllegalArgumentException("dir: " + dir + " holds no database; load one first with the same"
                    + " --keys, --value-size and configs, and --keep");
        }
        Errors errors = new Errors();
        SplittableRandom random = new SplittableRandom(spec.seed());
        try (Database db = Database.open(dir, target.config())) {
            long present = presentKeys(db, spec.keyCount(), dir);
            random.split(); // the load's stream, so a phase's choices do not depend on whether it loaded
            RunPhase run = new RunPhase(db, spec, present, errors, random.split(), target.label(), progress);
            PhaseResult measured = run.run();
            return new BenchResult(target.label(), target.config().toJson(), spec, PhaseResult.NONE, measured,
                    run.throughput(), errors.samples());
        }
    }

    /** One past the highest key number in {@code db}: at least {@code loaded}, plus inserts of earlier runs. */
    static long presentKeys(Database db, long loaded, Path dir) {
        for (long required : new long[] {0, loaded - 1}) {
            if (db.get(Keys.key(required)) == null) {
                throw new IllegalArgumentException("dir: " + dir + " was not loaded with --keys " + loaded
                        + " (key number " + required + " is missing)");
            }
        }
        long present = loaded; // key present - 1 exists
        long step = 1;
        while (db.get(Keys.key(present - 1 + step)) != null) {
            present += step;
            step <<= 1;
        }
        long missing = present - 1 + step; // key missing does not exist; find the first between
        while (missing - present > 0) {
            long mid = present + (missing - present) / 2;
            if (db.get(Keys.key(mid)) != null) {
                present = mid + 1;
            } else {
                missing = mid;
            }
        }
        return present;
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An unmeasured run before the measured ones ({@value #WARMUP_KEYS} keys at most, a second of
     * the workload at most), deleted after, and a collected heap before each config: without them
     * the first of two identical configs ran 1.22x slower than the second; with them the runs
     * measured 0.91x-1.11x apart. Short load phases stay biased towards the later config (up to 2x
     * for a 0.3 s load, even after a full-size warm-up or with a fixed heap): docs/bench.md.
     */
    private static void warmUp(Path dir, BenchTarget target, BenchSpec spec) {
        BenchSpec small = new BenchSpec(spec.workload(), Math.min(spec.keyCount(), WARMUP_KEYS), spec.valueSize(),
                spec.threads(), spec.duration().compareTo(Duration.ofSeconds(1)) < 0 ? spec.duration() : Duration.ofSeconds(1),
                Duration.ZERO, spec.maxScanLength(), spec.seed(), spec.readBeforeUpdate());
        run(dir, target, small, BenchProgress.NONE);
        deleteTree(dir);
    }

    /** Deletes a bench database directory and everything in it. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireEmpty(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dir: " + dir + " is not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new IllegalArgumentException("dir: " + dir
                        + " is not empty; the bench loads its own keys into a fresh directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sleeps until {@code deadline} (System.nanoTime). */
    static void sleepUntil(long deadline) {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the bench ran");
            }
        }
    }
}
