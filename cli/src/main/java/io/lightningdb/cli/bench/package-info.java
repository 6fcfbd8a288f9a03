/**
 * The engine of {@code lightning bench}: a workload ({@link io.lightningdb.cli.bench.Workload},
 * YCSB A to F or load/read/scan/mixed) described by a {@link io.lightningdb.cli.bench.BenchSpec},
 * run against a real database by {@link io.lightningdb.cli.bench.BenchRunner} (one config, or
 * several one after another for {@code --vs}), with latencies in HdrHistogram; the results
 * ({@link io.lightningdb.cli.bench.BenchResult}) printed as a table
 * ({@link io.lightningdb.cli.bench.TextReport}), written as JSON
 * ({@link io.lightningdb.cli.bench.JsonReport}) and as one self-contained HTML page with SVG charts
 * ({@link io.lightningdb.cli.bench.HtmlReport}).
 *
 * {@snippet :
 * BenchSpec spec = BenchSpec.builder().workload(Workload.A).keyCount(100_000).valueSize(100)
 *         .threads(2).duration(Duration.ofSeconds(10)).build();
 * List<BenchResult> results = BenchRunner.runAll(Path.of("bench-data"), List.of(
 *         new BenchTarget("default", LightningDbConfig.defaults()),
 *         new BenchTarget("oltp", Preset.OLTP.builder().build())), spec, BenchProgress.NONE);
 * System.out.print(TextReport.table(results));
 * JsonReport.write(results, Path.of("bench.json"));
 * HtmlReport.write(results, Path.of("bench.html"));
 * }
 *
 * <p>docs/bench.md describes the workloads, the JSON fields and the report.
 */
package io.lightningdb.cli.bench;
