package io.lightningdb.jmh.kv;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Uniform point reads at 1 and 2 threads and the run settings, shared by the throughput
 * benchmarks whose trial setup opens {@link #store} with {@link #keys} keys. JMH generates the
 * methods, and applies these annotations, for each concrete subclass. The fork flags are the
 * project's plus the two {@code --add-opens} lmdbjava's jnr-ffi needs on JDK 25.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Xmx4g"})
@State(Scope.Benchmark)
public abstract class UniformReads {
    @Param({"1000000"})
    public int keys;

    KvStore store;

    /** The engine being measured, for failure messages. */
    abstract String engineName();

    byte[] read(long n) {
        return Fixture.read(store, engineName(), n);
    }

    @Benchmark
    @Threads(1)
    public byte[] uniformRead_1t(Worker w) {
        return read(w.random.nextLong(keys));
    }

    @Benchmark
    @Threads(2)
    public byte[] uniformRead_2t(Worker w) {
        return read(w.random.nextLong(keys));
    }
}
