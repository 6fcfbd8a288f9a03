/**
 * The B-link tree (Lehman and Yao) over the buffer pool, the engine's {@link io.lightningdb.store.OrderedStore}:
 * node layout ({@link io.lightningdb.btree.NodeLayout}), the state and optimistic lock-free read path
 * ({@link io.lightningdb.btree.BTree}), one-latch writers ({@code TreeWriter}) on the same descent,
 * splits ({@code Splits}), merges ({@code Merges}), cursors ({@link io.lightningdb.btree.TreeCursor}),
 * batched gets ({@code BatchedGets}) and an invariant checker.
 *
 * <p>In-node search: {@link io.lightningdb.btree.KeyHeads} turns a key's first 8 bytes into a
 * {@code long} whose signed order is the keys' byte order, and {@link io.lightningdb.btree.KeySearch}
 * finds a probe among a node's sorted heads, with the Vector API when {@code jdk.incubator.vector}
 * is present ({@link io.lightningdb.btree.KeySearch#select}).
 *
 * <p>Searches tolerate pages a writer is changing (optimistic reads): any bytes, any count, never
 * an exception or a read outside the page. docs/architecture.md says how the pieces fit.
 */
package io.lightningdb.btree;
