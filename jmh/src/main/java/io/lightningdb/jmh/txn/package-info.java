/**
 * Transactions: small read-modify-write transactions (read two accounts, move an amount from one
 * to the other, commit) on Lightning DB (SNAPSHOT and SERIALIZABLE) beside RocksDB's
 * OptimisticTransactionDB and LMDB write transactions, with conflict and retry rates
 * ({@link io.lightningdb.jmh.txn.TxnRmwBenchmark}); and what a point read costs inside a read-only
 * transaction against a plain get ({@link io.lightningdb.jmh.txn.TxnReadBenchmark}). Each engine
 * sits behind {@link io.lightningdb.jmh.txn.TxnEngine}, so all run the same loop. Run by
 * jmh/txn-bench.sh; results in docs/benchmarks.md.
 */
package io.lightningdb.jmh.txn;
