/**
 * Key-value workloads on Lightning DB and its peers (RocksDB, LMDB, H2 MVStore, MapDB) behind one
 * small adapter, {@link io.lightningdb.jmh.kv.KvStore}: loads, point reads, scans, a read-update mix
 * and reads with the data 8x the cache. Run by jmh/kv-bench.sh; settings and results in
 * docs/benchmarks.md. The peers are dependencies of the {@code jmh} Maven profile only.
 */
package io.lightningdb.jmh.kv;
