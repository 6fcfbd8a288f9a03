package io.lightningdb.cli.bench;

import io.lightningdb.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * The load phase: {@code threads} threads put keys 0 to keyCount - 1 (thread t takes t, t + threads,
 * ...), one put per key as YCSB's load does, each timed as an insert.
 *
 * {@snippet :
 * PhaseResult load = LoadPhase.run(db, spec, errors, new SplittableRandom(seed), tick);
 * }
 */
final class LoadPhase {
    private LoadPhase() {}

    /** Loads the keys; {@code tick} is called from this thread every progress interval with the keys done. */
    static PhaseResult run(Database db, BenchSpec spec, Errors errors, SplittableRandom random, Ticker tick) {
        LongAdder done = new LongAdder();
        List<Latencies> perThread = new ArrayList<>();
        List<Runnable> tasks = new ArrayList<>();
        for (int t = 0; t < spec.threads(); t++) {
            Latencies mine = new Latencies();
            perThread.add(mine);
            long first = t;
            SplittableRandom r = random.split();
            tasks.add(() -> load(db, spec, errors, first, r, mine, done));
        }
        long start = System.nanoTime();
        try (Threads threads = Threads.start("load", tasks)) {
            while (!threads.joinFor(BenchRunner.PROGRESS_NANOS)) {
                tick.tick(done.sum());
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        tick.tick(done.sum());
        Latencies all = new Latencies();
        perThread.forEach(all::add);
        long ops = all.count();
        return new PhaseResult(ops, seconds, ops / seconds, all.summaries(errors));
    }

    private static void load(Database db, BenchSpec spec, Errors errors, long first, SplittableRandom random,
            Latencies latencies, LongAdder done) {
        for (long i = first; i < spec.keyCount(); i += spec.threads()) {
            byte[] key = Keys.key(i);
            byte[] value = Keys.value(i, random.nextLong(), spec.valueSize());
            try {
                long start = System.nanoTime();
                db.put(key, value);
                latencies.record(OpType.INSERT, System.nanoTime() - start);
            } catch (RuntimeException e) {
                errors.add(OpType.INSERT, "load " + Keys.text(key) + ": " + e);
            }
            done.increment();
        }
    }

    /** Progress of a phase, reported from the runner's thread. */
    @FunctionalInterface
    interface Ticker {
        void tick(long done);
    }
}
