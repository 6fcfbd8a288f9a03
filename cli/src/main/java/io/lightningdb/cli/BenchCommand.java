package io.lightningdb.cli;

import io.lightningdb.LightningDbConfig;
import io.lightningdb.Preset;
import io.lightningdb.cli.bench.BenchProgress;
import io.lightningdb.cli.bench.BenchResult;
import io.lightningdb.cli.bench.BenchRunner;
import io.lightningdb.cli.bench.BenchSpec;
import io.lightningdb.cli.bench.BenchTarget;
import io.lightningdb.cli.bench.HtmlReport;
import io.lightningdb.cli.bench.JsonReport;
import io.lightningdb.cli.bench.TextReport;
import io.lightningdb.cli.bench.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: the performance validation run (docs/bench.md). Loads a fresh database with the
 * given configuration, runs a workload, and prints throughput and latency percentiles; with
 * {@code --vs} does the same for a second configuration in the same run and prints the ratios.
 */
@Command(name = "bench", description = {"Measures a workload against a configuration, or two (--vs).",
    "Loads --keys keys into a fresh database, runs the workload for --seconds with --threads threads,",
    "prints throughput and latency percentiles (HdrHistogram); --json and --report write the results",
    "and an HTML report with the latency distribution and throughput over time. Exit code 1 when a",
    "read found a wrong or missing value (the run is not a valid measurement)."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Option(names = {"-w", "--workload"}, paramLabel = "W", defaultValue = "a",
            description = "YCSB a to f, or load, read, scan, mixed (default: ${DEFAULT-VALUE})")
    private String workload;
    @Option(names = "--keys", paramLabel = "N", defaultValue = "100000", description = "keys loaded (default: ${DEFAULT-VALUE})")
    private long keys;
    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100",
            description = "value size, 16 to 1 MiB (default: ${DEFAULT-VALUE})")
    private int valueSize;
    @Option(names = "--threads", paramLabel = "T", defaultValue = "1", description = "threads (default: ${DEFAULT-VALUE})")
    private int threads;
    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10", description = "measured run (default: ${DEFAULT-VALUE})")
    private double seconds;
    @Option(names = "--warmup", paramLabel = "S", defaultValue = "1",
            description = "unrecorded run before it, seconds (default: ${DEFAULT-VALUE})")
    private double warmup;
    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: from the clock; printed)")
    private Long seed;
    @Option(names = "--config", paramLabel = "FILE", description = "the configuration file to measure")
    private Path configFile;
    @Option(names = "--preset", paramLabel = "NAME", description = "the preset to measure (default: the defaults)")
    private String preset;
    @Option(names = "--vs", paramLabel = "FILE|PRESET", description = "a second configuration (a file or a preset name)")
    private String vs;
    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "bench-data",
            description = "where the bench databases go, absent or empty (default: ./${DEFAULT-VALUE}; removed after)")
    private Path dir;
    @Option(names = "--keep", description = "keep the bench databases in --dir")
    private boolean keep;
    @Option(names = "--existing", description = {"run against the databases an earlier --keep run left in --dir (same --keys,",
        "--value-size and configs): no load, no warm-up run, the databases kept; a process per phase, as bin/ycsb"})
    private boolean existing;
    @Option(names = "--read-before-update", description = {"updates read the record first and write it whole,",
        "as YCSB's key-value bindings update one field of a record"})
    private boolean readBeforeUpdate;
    @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON")
    private Path json;
    @Option(names = "--report", paramLabel = "FILE", description = "write a self-contained HTML report with charts")
    private Path report;

    @Override
    public Integer call() throws IOException {
        BenchSpec benchSpec;
        List<BenchTarget> targets = new ArrayList<>();
        try {
            BenchSpec.Builder b = BenchSpec.builder().workload(Workload.byName(workload)).keyCount(keys)
                    .valueSize(valueSize).threads(threads).duration(duration("--seconds", seconds))
                    .warmup(duration("--warmup", warmup)).readBeforeUpdate(readBeforeUpdate);
            if (seed != null) {
                b.seed(seed);
            }
            benchSpec = b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (configFile != null && preset != null) {
            throw new ParameterException(spec.commandLine(), "--config and --preset exclude each other");
        }
        targets.add(configFile != null ? new BenchTarget(label(configFile.getFileName().toString()),
                LightningDbConfig.fromFile(configFile))
                : preset != null ? new BenchTarget(preset, DbOptions.presetNamed(spec, preset).builder().build())
                : new BenchTarget("default", LightningDbConfig.defaults()));
        if (vs != null) {
            targets.add(other(vs, targets.get(0).label()));
        }
        Main main = Main.of(spec);
        PrintWriter out = main.out();
        out.printf("bench %s: %,d keys, %d-byte values, %d thread%s, %.1f s (+%.1f s warmup), seed %d%n",
                benchSpec.workload().label(), keys, valueSize, threads, threads == 1 ? "" : "s", seconds, warmup,
                benchSpec.seed());
        List<BenchResult> results;
        try {
            results = BenchRunner.runAll(dir, targets, benchSpec, new Bars(main), existing);
        } finally {
            if (!keep && !existing) {
                BenchRunner.deleteTree(dir);
            }
        }
        out.println();
        out.print(TextReport.table(results));
        if (results.size() > 1) {
            out.println("note: the configs ran in this order in one JVM; a later one tends to load faster (up to 2x "
                    + "for loads under a second): compare loads over several seconds, or run again with the order swapped");
        }
        if (json != null) {
            JsonReport.write(results, json);
            out.println("results: " + json);
        }
        if (report != null) {
            HtmlReport.write(results, report);
            out.println("report: " + report);
        }
        long errors = results.stream().mapToLong(BenchResult::errors).sum();
        if (errors > 0) {
            for (BenchResult r : results) {
                r.errorSamples().forEach(m -> main.err().println("bench error (" + r.label() + "): " + m));
            }
            main.err().println(spec.qualifiedName() + ": " + errors + " operations failed or read a wrong value; "
                    + "the figures are not a valid measurement");
            return Main.EXIT_FAILED;
        }
        return Main.EXIT_OK;
    }

    private Duration duration(String option, double s) {
        if (!(s >= 0 && s <= 86_400)) {
            throw new ParameterException(spec.commandLine(), option + " must be in [0, 86400] seconds, got " + s);
        }
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /** {@code --vs}: an existing file, else a preset name; labels kept distinct. */
    private BenchTarget other(String name, String firstLabel) {
        Path f = Path.of(name);
        BenchTarget t = Files.isRegularFile(f)
                ? new BenchTarget(label(f.getFileName().toString()), LightningDbConfig.fromFile(f))
                : new BenchTarget(name, presetOrFail(name));
        return t.label().equals(firstLabel) ? new BenchTarget(t.label() + "-2", t.config()) : t;
    }

    private LightningDbConfig presetOrFail(String name) {
        Preset p = Preset.byName(name);
        if (p == null) {
            throw new ParameterException(spec.commandLine(), "--vs " + name + ": no such file, nor a preset ("
                    + Preset.names() + ")");
        }
        return p.builder().build();
    }

    private static String label(String fileName) {
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }

    /** One progress bar per configuration and phase. */
    private static final class Bars implements BenchProgress {
        private final Main main;
        private ProgressBar bar;
        private String current;

        Bars(Main main) {
            this.main = main;
        }

        @Override
        public void update(String label, String phase, long done, long total, long operations) {
            String name = phase + " " + label;
            if (!name.equals(current)) {
                if (bar != null) {
                    bar.clear();
                }
                bar = main.progress(name, total);
                current = name;
            }
            bar.update(done, operations);
            if (done == total) {
                bar.clear();
            }
        }
    }
}
