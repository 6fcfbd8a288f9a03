/**
 * The seam between the engine and a storage structure: {@link io.lightningdb.store.OrderedStore},
 * an ordered map of byte strings with the three steps of a checkpoint, and
 * {@link io.lightningdb.store.StoreCursor}, its range cursor. The B-link tree
 * ({@code io.lightningdb.btree}) implements it today; an LSM tree would implement the same and
 * share everything the engine builds on it: the log and its replay, group commit, transactions
 * and MVCC, the buffer pool's memory budget, the command line and the tests.
 *
 * <p>Interfaces only, with no dependency on any other package of the engine.
 */
package io.lightningdb.store;
