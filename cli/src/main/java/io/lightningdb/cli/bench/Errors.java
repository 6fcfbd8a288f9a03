package io.lightningdb.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Failed operations of a run, shared by its threads: a count per operation type and the first
 * {@value #SAMPLES} messages. A failure is a thrown exception, a key that must exist but was not
 * found, or a value that does not belong to its key; none is ignored.
 *
 * {@snippet :
 * errors.add(OpType.READ, "read user000...: missing");
 * errors.total()     // 1
 * }
 */
final class Errors {
    static final int SAMPLES = 10;
    private final AtomicLongArray counts = new AtomicLongArray(OpType.values().length);
    private final List<String> samples = new ArrayList<>();

    void add(OpType op, String message) {
        counts.incrementAndGet(op.ordinal());
        synchronized (samples) {
            if (samples.size() < SAMPLES) {
                samples.add(op.label() + ": " + message);
            }
        }
    }

    long count(OpType op) {
        return counts.get(op.ordinal());
    }

    long total() {
        long t = 0;
        for (int i = 0; i < counts.length(); i++) {
            t += counts.get(i);
        }
        return t;
    }

    List<String> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }
}
