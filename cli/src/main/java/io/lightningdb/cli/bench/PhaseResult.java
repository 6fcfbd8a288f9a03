package io.lightningdb.cli.bench;

import java.util.List;

/**
 * What one phase (the load, or the measured run) did: operations, time, rate and latencies.
 *
 * {@snippet :
 * PhaseResult load = result.load();
 * System.out.printf("loaded %,d keys at %,.0f/s%n", load.operations(), load.opsPerSecond());
 * }
 *
 * @param operations operations that succeeded
 * @param seconds the phase's wall time
 * @param latencies one entry per operation type that ran, in {@link OpType} order
 */
public record PhaseResult(long operations, double seconds, double opsPerSecond, List<LatencySummary> latencies) {
    /** A phase that did not run (the load of a run against an existing database). */
    public static final PhaseResult NONE = new PhaseResult(0, 0, 0, List.of());

    public PhaseResult {
        latencies = List.copyOf(latencies);
    }

    /** The latency of {@code op}, or null when the phase ran none. */
    public LatencySummary latency(OpType op) {
        return latencies.stream().filter(l -> l.op() == op).findFirst().orElse(null);
    }

    /** Failed operations of every type. */
    public long errors() {
        return latencies.stream().mapToLong(LatencySummary::errors).sum();
    }
}
