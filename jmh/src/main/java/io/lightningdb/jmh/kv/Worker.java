package io.lightningdb.jmh.kv;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * A benchmark thread's random source, seeded by thread index so that runs repeat, and its update
 * counter (the version written into updated values).
 */
@State(Scope.Thread)
public class Worker {
    SplittableRandom random;
    long version;

    @Setup(Level.Trial)
    public void setup(ThreadParams thread) {
        random = new SplittableRandom(1000 + thread.getThreadIndex());
    }
}
