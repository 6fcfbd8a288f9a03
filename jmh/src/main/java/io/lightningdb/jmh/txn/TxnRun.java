package io.lightningdb.jmh.txn;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Run settings of the transaction benchmarks and their key count; JMH applies these annotations to
 * each concrete subclass. Scores are operations per second, all threads together. Three warm-up
 * iterations, not the kv benchmarks' two: the transaction paths were still getting faster through
 * the second one in trial runs. The fork flags are the project's plus the two {@code --add-opens}
 * lmdbjava's jnr-ffi needs on JDK 25.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "-Xmx2g"})
@State(Scope.Benchmark)
public abstract class TxnRun {
    /** Accounts (keys) preloaded; every engine's cache holds all of them. */
    @Param({"100000"})
    public int keys;
}
