package io.lightningdb.cli.bench;

import io.lightningdb.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The warmup and the measured run: starts the {@link Worker}s, flips them from warmup to measure to
 * stop, and samples the operation count on its own thread for progress and for the throughput
 * series (one point per {@link BenchSpec#sampleInterval()}).
 *
 * {@snippet :
 * RunPhase p = new RunPhase(db, spec, spec.keyCount(), errors, random, "default", progress);
 * PhaseResult measured = p.run();
 * List<BenchResult.ThroughputPoint> series = p.throughput();
 * }
 */
final class RunPhase {
    private final Database db;
    private final BenchSpec spec;
    private final long presentKeys;
    private final Errors errors;
    private final SplittableRandom random;
    private final String label;
    private final BenchProgress progress;
    private final Worker.State state = new Worker.State();
    private final List<BenchResult.ThroughputPoint> throughput = new ArrayList<>();

    /** {@code presentKeys}: keys 0 to presentKeys - 1 exist (the load's, and inserts of earlier runs). */
    RunPhase(Database db, BenchSpec spec, long presentKeys, Errors errors, SplittableRandom random, String label,
            BenchProgress progress) {
        this.db = db;
        this.spec = spec;
        this.presentKeys = presentKeys;
        this.errors = errors;
        this.random = random;
        this.label = label;
        this.progress = progress;
    }

    PhaseResult run() {
        InsertTracker tracker = new InsertTracker(presentKeys);
        KeyChooser keys = new KeyChooser(spec.workload().distribution(), spec.keyCount(), tracker);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < spec.threads(); i++) {
            workers.add(new Worker(db, spec, keys, tracker, state, errors, random.split()));
        }
        long measureStart;
        long measureEnd;
        try (Threads threads = Threads.start("run", List.copyOf(workers))) {
            try {
                warmup(threads);
                measureStart = System.nanoTime();
                state.operations.reset();
                state.phase = Worker.State.MEASURE;
                measure(threads, measureStart);
            } finally {
                state.phase = Worker.State.STOP;
                measureEnd = System.nanoTime();
            }
        }
        Latencies all = new Latencies();
        workers.forEach(w -> all.add(w.latencies()));
        double seconds = (measureEnd - measureStart) / 1e9;
        long ops = all.count();
        return new PhaseResult(ops, seconds, ops / seconds, all.summaries(errors));
    }

    List<BenchResult.ThroughputPoint> throughput() {
        return List.copyOf(throughput);
    }

    private void warmup(Threads threads) {
        long start = System.nanoTime();
        long total = spec.warmup().toNanos();
        long now = start;
        while (now - start < total && !threads.failed()) {
            BenchRunner.sleepUntil(Math.min(start + total, now + BenchRunner.PROGRESS_NANOS));
            now = System.nanoTime();
            progress.update(label, "warmup", Math.min(total, now - start) / 1_000_000, total / 1_000_000,
                    state.operations.sum());
        }
    }

    /** Until the duration is over: a throughput point per sample interval, progress in between. */
    private void measure(Threads threads, long start) {
        long total = spec.duration().toNanos();
        long interval = spec.sampleInterval().toNanos();
        long nextSample = start + interval;
        long lastSampleTime = start;
        long lastSampleOps = 0;
        long now = start;
        while (now - start < total && !threads.failed()) {
            long nextProgress = now + BenchRunner.PROGRESS_NANOS;
            BenchRunner.sleepUntil(Math.min(start + total, Math.min(nextSample, nextProgress)));
            now = System.nanoTime();
            long ops = state.operations.sum();
            if (now >= nextSample || now - start >= total) {
                throughput.add(new BenchResult.ThroughputPoint((now - start) / 1e9,
                        (ops - lastSampleOps) * 1e9 / (now - lastSampleTime)));
                lastSampleTime = now;
                lastSampleOps = ops;
                nextSample += interval;
            }
            progress.update(label, "run", Math.min(total, now - start) / 1_000_000, total / 1_000_000, ops);
        }
    }
}
