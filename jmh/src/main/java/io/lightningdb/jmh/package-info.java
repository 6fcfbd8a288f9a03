/**
 * JMH benchmarks. Built by {@code mvn -Pjmh package} into {@code target/benchmarks.jar}; the
 * scripts in {@code jmh/} run them side by side with their reference (fio for raw I/O, the peer
 * databases for the engine) and print the ratios quoted in docs/benchmarks.md.
 */
package io.lightningdb.jmh;
