/**
 * The engine's shared machinery below the public API: pinning threads to the CPUs of a NUMA node
 * ({@link io.lightningdb.engine.ThreadPinning}), for the engine's background threads.
 *
 * <p>Depends only on {@code io.lightningdb.nativeio}.
 */
package io.lightningdb.engine;
