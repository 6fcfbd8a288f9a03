package io.lightningdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
    /** ASYNC so a run's updates are not one fsync each: the tests check the bench, not the disk. */
    static final LightningDbConfig FAST = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC)
            .cacheSize(16L << 20).build();

    static BenchSpec spec(Workload w, String test) {
        return BenchSpec.builder().workload(w).keyCount(2_000).valueSize(64).threads(2)
                .duration(Duration.ofMillis(600)).warmup(Duration.ofMillis(100)).seed(Seeds.seed(test)).build();
    }

    @ParameterizedTest
    @EnumSource(Workload.class)
    void everyWorkloadRunsAndMeasures(Workload w) throws Exception {
        Path dir = TestDirs.fresh("bench-" + w.label());
        BenchSpec spec = spec(w, "everyWorkloadRunsAndMeasures-" + w.label());
        List<String> phases = new CopyOnWriteArrayList<>();
        BenchResult r = BenchRunner.run(dir, new BenchTarget("t", FAST), spec,
                (label, phase, done, total, ops) -> phases.add(phase + " " + done + "/" + total));
        assertEquals(0, r.errors(), () -> "errors: " + r.errorSamples());
        assertEquals(spec.keyCount(), r.load().operations());
        assertNotNull(r.load().latency(OpType.INSERT));
        assertTrue(r.run().operations() > 0, "no operations measured");
        assertEquals(r.run().operations(), r.run().latencies().stream().mapToLong(LatencySummary::count).sum());
        for (OpType op : OpType.values()) {
            LatencySummary l = r.run().latency(op);
            if (w.proportion(op) == 0) {
                assertNull(l, op + " ran though the mix has none");
                continue;
            }
            assertNotNull(l, op + " never ran");
            assertTrue(l.p50Micros() > 0 && l.p50Micros() <= l.p90Micros() && l.p90Micros() <= l.p99Micros()
                    && l.p99Micros() <= l.p999Micros() && l.p999Micros() <= l.maxMicros(), l.toString());
            assertTrue(l.distribution().size() > 3, "distribution points: " + l.distribution().size());
        }
        // 600 ms at 30 ms per sample: about 20 points; a loaded machine may stretch the last one only.
        assertTrue(r.throughput().size() >= 15, "throughput points: " + r.throughput().size());
        assertTrue(r.throughput().stream().allMatch(p -> p.opsPerSecond() >= 0));
        assertTrue(phases.contains("load " + spec.keyCount() + "/" + spec.keyCount()), phases.toString());
        assertTrue(phases.stream().anyMatch(p -> p.startsWith("warmup")));
        assertTrue(phases.contains("run 600/600"), phases.toString());
        TestDirs.deleteTree(dir);
    }
}
