package io.lightningdb.cli.bench;

import io.lightningdb.LightningDbConfig;
import io.lightningdb.Preset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A test-scope command line for measuring with the bench engine until {@code lightning bench} is
 * wired (docs/bench.md quotes its output):
 *
 * <pre>
 * java ... io.lightningdb.cli.bench.BenchMain OUT_DIR WORKLOAD KEYS VALUE_SIZE THREADS SECONDS CONFIG [CONFIG...]
 * </pre>
 *
 * CONFIG is "default", a preset name, or a JSON config file. Writes OUT_DIR/bench-WORKLOAD.json and
 * .html and prints the table; the databases go to OUT_DIR/data-WORKLOAD and are deleted afterwards.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 7) {
            System.err.println("usage: BenchMain OUT_DIR WORKLOAD KEYS VALUE_SIZE THREADS SECONDS CONFIG [CONFIG...]");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Workload w = Workload.byName(args[1]);
        BenchSpec spec = BenchSpec.builder().workload(w).keyCount(Long.parseLong(args[2]))
                .valueSize(Integer.parseInt(args[3])).threads(Integer.parseInt(args[4]))
                .duration(Duration.ofSeconds(Long.parseLong(args[5]))).warmup(Duration.ofSeconds(2)).build();
        List<BenchTarget> targets = new ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            targets.add(new BenchTarget(args[i], config(args[i])));
        }
        Files.createDirectories(out);
        Path data = out.resolve("data-" + w.label());
        List<BenchResult> results = BenchRunner.runAll(data, targets, spec, BenchProgress.NONE);
        io.lightningdb.testing.TestDirs.deleteTree(data);
        System.out.print(TextReport.table(results));
        JsonReport.write(results, out.resolve("bench-" + w.label() + ".json"));
        HtmlReport.write(results, out.resolve("bench-" + w.label() + ".html"));
    }

    private static LightningDbConfig config(String name) {
        if (name.equals("default")) {
            return LightningDbConfig.defaults();
        }
        Preset p = Preset.byName(name);
        return p != null ? p.builder().build() : LightningDbConfig.fromFile(Path.of(name));
    }
}
