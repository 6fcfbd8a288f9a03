/**
 * Durable commits: single-key puts that return only once they are on stable storage, Lightning DB
 * (SYNC and BATCH group commit) beside RocksDB ({@code sync=true}) and LMDB (synced commits), at 1
 * to 32 writer threads ({@link io.lightningdb.jmh.durable.DurableCommitBenchmark}); and how long
 * an open takes to replay 256 MiB of log after a SIGKILL
 * ({@link io.lightningdb.jmh.durable.RecoveryTime}). Run by jmh/durable-bench.sh; results in
 * docs/benchmarks.md. Also the checkpoints' writer stall ({@link io.lightningdb.jmh.durable.CheckpointStall})
 * and what compaction gives back ({@link io.lightningdb.jmh.durable.CompactionRun}), run by hand.
 */
package io.lightningdb.jmh.durable;
