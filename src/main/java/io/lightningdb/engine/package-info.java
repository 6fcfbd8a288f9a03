/**
 * The engine below the public API: one open database ({@link io.lightningdb.engine.Engine}) with
 * its files and recovery ({@code DatabaseFiles}, {@code DirectoryLock}), the write path
 * ({@code LoggedWrites}, {@code LogRecords}), checkpoints, compaction and multiGet; transactions
 * ({@link io.lightningdb.engine.Transactions}: admission, key locks, snapshot reads, validated
 * commits, retries), joining {@code txn} to the tree and the log; its figures at one call
 * ({@link io.lightningdb.engine.EngineFigures}); and the machinery every background task shares:
 * the one pool of background threads
 * ({@link io.lightningdb.engine.BackgroundThreads}) and pinning them to a NUMA node's CPUs
 * ({@link io.lightningdb.engine.ThreadPinning}).
 *
 * <p>The API package ({@code io.lightningdb}) is the only one above this: it checks arguments,
 * holds each call in an epoch, and maps the {@link java.io.IOException}s thrown here (among them
 * {@link io.lightningdb.engine.DirectoryLockedException}, {@link
 * io.lightningdb.engine.ForeignDirectoryException}, {@link
 * io.lightningdb.engine.WritesRefusedException}) and a transaction's
 * {@link io.lightningdb.engine.TransactionRefusedException} to its public exceptions. Nothing here imports the
 * API; settings arrive as an {@link io.lightningdb.engine.EngineConfig} in the lower layers' own
 * types. The layers below (txn, btree, pagefile, cache, wal, io) get threads as a
 * {@link java.util.concurrent.ThreadFactory} passed down, never by importing this package.
 */
package io.lightningdb.engine;
