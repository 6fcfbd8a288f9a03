package io.lightningdb.cli.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * One bench run's parameters, every one checked when built. The load phase puts {@code keyCount}
 * keys; then {@code threads} threads run the workload for {@code warmup} (not measured) and
 * {@code duration} (measured).
 *
 * {@snippet :
 * BenchSpec spec = BenchSpec.builder().workload(Workload.byName("c")).keyCount(100_000).valueSize(100)
 *         .threads(2).duration(Duration.ofSeconds(10)).warmup(Duration.ofSeconds(2)).build();
 * }
 *
 * @param workload the operation mix and key distribution
 * @param keyCount keys put by the load phase, 1 to {@value #MAX_KEY_COUNT}
 * @param valueSize bytes per value, {@value #MIN_VALUE_SIZE} (the self-check header) to {@value #MAX_VALUE_SIZE}
 * @param threads client threads of the load and run phases, 1 to {@value #MAX_THREADS}
 * @param duration the measured run, 100 ms to 24 h
 * @param warmup the run before the measured one (same mix, not recorded), 0 to 1 h
 * @param maxScanLength entries a scan reads at most (its length is uniform from 1), 1 to {@value #MAX_SCAN_LENGTH}
 * @param seed the random choices of every thread derive from it, so a run can be repeated
 * @param readBeforeUpdate an update reads the record first (and checks it) and then writes it whole,
 *     as YCSB's key-value bindings update one field of a record; without it an update is a blind put
 */
public record BenchSpec(Workload workload, long keyCount, int valueSize, int threads, Duration duration,
        Duration warmup, int maxScanLength, long seed, boolean readBeforeUpdate) {
    public static final long MAX_KEY_COUNT = 100_000_000L;
    /** A value carries its key's number and a version (16 bytes) so every read can be verified. */
    public static final int MIN_VALUE_SIZE = 16;
    public static final int MAX_VALUE_SIZE = 1 << 20;
    public static final int MAX_THREADS = 1024;
    public static final int MAX_SCAN_LENGTH = 10_000;
    static final Duration MIN_DURATION = Duration.ofMillis(100);
    static final Duration MAX_DURATION = Duration.ofHours(24);
    static final Duration MAX_WARMUP = Duration.ofHours(1);
    /** Throughput points of a run at the most fine sampling (shorter runs still get this many). */
    static final int MIN_SAMPLES = 20;
    static final Duration MAX_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    static final Duration MIN_SAMPLE_INTERVAL = Duration.ofMillis(10);

    /** Checks every field. */
    public BenchSpec {
        Objects.requireNonNull(workload, "workload");
        range("keyCount", keyCount, 1, MAX_KEY_COUNT);
        range("valueSize", valueSize, MIN_VALUE_SIZE, MAX_VALUE_SIZE);
        range("threads", threads, 1, MAX_THREADS);
        durationRange("duration", duration, MIN_DURATION, MAX_DURATION);
        durationRange("warmup", warmup, Duration.ZERO, MAX_WARMUP);
        range("maxScanLength", maxScanLength, 1, MAX_SCAN_LENGTH);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * How often the run records a throughput point: a second for runs of 20 s or more, shorter for
     * shorter runs so that even a 1 s run has {@value #MIN_SAMPLES} points to draw.
     */
    public Duration sampleInterval() {
        Duration d = duration.dividedBy(MIN_SAMPLES);
        if (d.compareTo(MAX_SAMPLE_INTERVAL) > 0) {
            return MAX_SAMPLE_INTERVAL;
        }
        return d.compareTo(MIN_SAMPLE_INTERVAL) < 0 ? MIN_SAMPLE_INTERVAL : d;
    }

    private static void range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(
                    String.format("%s: %,d is out of range; allowed %,d to %,d", field, value, min, max));
        }
    }

    private static void durationRange(String field, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, field);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + ": " + text(value) + " is out of range; allowed " + text(min)
                    + " to " + text(max));
        }
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Defaults: YCSB A, 100,000 keys of 100 bytes, 1 thread, 10 s after 1 s of warmup, scans up to 100. */
    public static final class Builder {
        private Workload workload = Workload.A;
        private long keyCount = 100_000;
        private int valueSize = 100;
        private int threads = 1;
        private Duration duration = Duration.ofSeconds(10);
        private Duration warmup = Duration.ofSeconds(1);
        private int maxScanLength = 100;
        private long seed = System.nanoTime();
        private boolean readBeforeUpdate;

        private Builder() {}

        public Builder workload(Workload w) {
            this.workload = w;
            return this;
        }

        public Builder keyCount(long n) {
            this.keyCount = n;
            return this;
        }

        public Builder valueSize(int bytes) {
            this.valueSize = bytes;
            return this;
        }

        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        public Builder warmup(Duration d) {
            this.warmup = d;
            return this;
        }

        public Builder maxScanLength(int n) {
            this.maxScanLength = n;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder readBeforeUpdate(boolean on) {
            this.readBeforeUpdate = on;
            return this;
        }

        /** @throws IllegalArgumentException naming the field and its allowed range */
        public BenchSpec build() {
            return new BenchSpec(workload, keyCount, valueSize, threads, duration, warmup, maxScanLength, seed,
                    readBeforeUpdate);
        }
    }
}
