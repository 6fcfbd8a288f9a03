package io.lightningdb.cli.bench;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client thread of the run phase: picks an operation by the workload's mix and a key by its
 * distribution, times the database call(s) alone (keys and values are made before, reads checked
 * after), and records into its own {@link Latencies} once the run is past its warmup.
 *
 * {@snippet :
 * Worker w = new Worker(db, spec, keys, tracker, state, errors, random.split());
 * Thread.ofPlatform().start(w);     // until state.stop()
 * w.latencies()                     // after join
 * }
 */
final class Worker implements Runnable {
    /** Phases of the shared run: workers read it before every operation. */
    static final class State {
        static final int WARMUP = 0;
        static final int MEASURE = 1;
        static final int STOP = 2;
        volatile int phase = WARMUP;
        /** Operations finished in the current phase: sampled for progress and for the throughput series. */
        final LongAdder operations = new LongAdder();
    }

    private final Database db;
    private final BenchSpec spec;
    private final KeyChooser keys;
    private final InsertTracker tracker;
    private final State state;
    private final Errors errors;
    private final SplittableRandom random;
    private final double[] cumulative = new double[OpType.values().length];
    private final Latencies latencies = new Latencies();
    private final List<byte[]> scanned = new ArrayList<>();

    Worker(Database db, BenchSpec spec, KeyChooser keys, InsertTracker tracker, State state, Errors errors,
            SplittableRandom random) {
        this.db = db;
        this.spec = spec;
        this.keys = keys;
        this.tracker = tracker;
        this.state = state;
        this.errors = errors;
        this.random = random;
        double sum = 0;
        for (OpType op : OpType.values()) {
            sum += spec.workload().proportion(op);
            cumulative[op.ordinal()] = sum;
        }
    }

    Latencies latencies() {
        return latencies;
    }

    @Override
    public void run() {
        int phase;
        while ((phase = state.phase) != State.STOP) {
            OpType op = pick();
            long nanos = execute(op);
            // A phase change between pick and here is at most one operation per thread: noise.
            if (nanos >= 0) {
                if (phase == State.MEASURE) {
                    latencies.record(op, nanos);
                }
                state.operations.increment();
            }
        }
    }

    private OpType pick() {
        double u = random.nextDouble();
        OpType[] ops = OpType.values();
        for (int i = 0; i < ops.length; i++) {
            if (u < cumulative[i]) {
                return ops[i];
            }
        }
        return ops[ops.length - 1]; // rounding left u at the very top: the last op with a share
    }

    /** Runs one operation; its latency in nanoseconds, or -1 when it failed (counted in errors). */
    private long execute(OpType op) {
        try {
            return switch (op) {
                case READ -> read(keys.existing(random));
                case UPDATE -> update(keys.existing(random));
                case INSERT -> insert();
                case SCAN -> scan(keys.existing(random), 1 + random.nextInt(spec.maxScanLength()));
                case READ_MODIFY_WRITE -> readModifyWrite(keys.existing(random));
            };
        } catch (RuntimeException e) {
            errors.add(op, e.toString());
            return -1;
        }
    }

    private long read(long index) {
        byte[] key = Keys.key(index);
        long start = System.nanoTime();
        byte[] value = db.get(key);
        long nanos = System.nanoTime() - start;
        return verified(OpType.READ, index, key, value) ? nanos : -1;
    }

    private long update(long index) {
        byte[] key = Keys.key(index);
        byte[] value = Keys.value(index, random.nextLong(), spec.valueSize());
        if (spec.readBeforeUpdate()) {
            long start = System.nanoTime();
            byte[] old = db.get(key);
            db.put(key, value);
            long nanos = System.nanoTime() - start;
            return verified(OpType.UPDATE, index, key, old) ? nanos : -1;
        }
        long start = System.nanoTime();
        db.put(key, value);
        return System.nanoTime() - start;
    }

    private long insert() {
        long index = tracker.claim();
        try {
            byte[] key = Keys.key(index);
            byte[] value = Keys.value(index, random.nextLong(), spec.valueSize());
            long start = System.nanoTime();
            db.put(key, value);
            return System.nanoTime() - start;
        } finally {
            tracker.done(index);
        }
    }

    private long readModifyWrite(long index) {
        byte[] key = Keys.key(index);
        byte[] value = Keys.value(index, random.nextLong(), spec.valueSize());
        long start = System.nanoTime();
        byte[] old = db.get(key);
        db.put(key, value);
        long nanos = System.nanoTime() - start;
        return verified(OpType.READ_MODIFY_WRITE, index, key, old) ? nanos : -1;
    }

    /** Reads up to {@code length} entries from key {@code index}, which exists, so it must come first. */
    private long scan(long index, int length) {
        byte[] from = Keys.key(index);
        scanned.clear();
        long start = System.nanoTime();
        try (Cursor c = db.scan(from, null)) {
            for (int i = 0; i < length && c.next(); i++) {
                scanned.add(c.key());
                scanned.add(c.value());
            }
        }
        long nanos = System.nanoTime() - start;
        if (scanned.isEmpty() || !java.util.Arrays.equals(scanned.get(0), from)) {
            errors.add(OpType.SCAN, "scan from " + Keys.text(from) + " (key number " + index
                    + ") did not start at it, though it exists");
            return -1;
        }
        for (int i = 0; i < scanned.size(); i += 2) {
            byte[] key = scanned.get(i);
            long found = Keys.index(key);
            if (found < 0) {
                errors.add(OpType.SCAN, "scan met " + Keys.text(key) + ", which is no bench key");
                return -1;
            }
            if (!verified(OpType.SCAN, found, key, scanned.get(i + 1))) {
                return -1;
            }
        }
        return nanos;
    }

    private boolean verified(OpType op, long index, byte[] key, byte[] value) {
        String problem = value == null ? "missing, though it was written" : Keys.check(index, value, spec.valueSize());
        if (problem != null) {
            errors.add(op, Keys.text(key) + " (key number " + index + "): " + problem);
            return false;
        }
        return true;
    }
}
