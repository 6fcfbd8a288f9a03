/**
 * The engine's shared machinery below the public API: the one pool of background threads
 * ({@link io.lightningdb.engine.BackgroundThreads}) every background task takes its thread from,
 * and pinning those threads to the CPUs of a NUMA node ({@link io.lightningdb.engine.ThreadPinning}).
 *
 * <p>Depends only on {@code io.lightningdb.nativeio}; the layers below (wal, txn) get threads as a
 * {@link java.util.concurrent.ThreadFactory} passed down, never by importing this package.
 */
package io.lightningdb.engine;
