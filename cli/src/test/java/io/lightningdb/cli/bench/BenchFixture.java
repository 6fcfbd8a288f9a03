package io.lightningdb.cli.bench;

import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Real results of a short two-config YCSB A run, made once and shared by the report tests. */
final class BenchFixture {
    /** Label with markup in it: the reports must escape it, not break on it. */
    static final String SECOND = "batch </script> & <b>";
    private static List<BenchResult> results;

    private BenchFixture() {}

    static synchronized List<BenchResult> twoConfigs() {
        if (results == null) {
            Path parent = TestDirs.fresh("bench-report");
            BenchSpec spec = BenchSpec.builder().workload(Workload.A).keyCount(2_000).valueSize(64).threads(2)
                    .duration(Duration.ofMillis(500)).warmup(Duration.ofMillis(100)).seed(Seeds.seed("BenchFixture"))
                    .build();
            LightningDbConfig async = BenchRunnerTest.FAST;
            LightningDbConfig batch = async.toBuilder().walSyncMode(WalSyncMode.BATCH).build();
            results = BenchRunner.runAll(parent, List.of(new BenchTarget("async", async), new BenchTarget(SECOND, batch)),
                    spec, BenchProgress.NONE);
            try {
                TestDirs.deleteTree(parent);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return results;
    }
}
