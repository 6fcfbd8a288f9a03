/**
 * Lightning DB's public face. So far: {@link io.lightningdb.Capabilities}, the report of which
 * native features (io_uring, O_DIRECT, NUMA, SIMD) are in use on this machine.
 */
package io.lightningdb;
