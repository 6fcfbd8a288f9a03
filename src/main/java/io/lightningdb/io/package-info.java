/**
 * Page I/O: reading and writing whole pages of a file at page-aligned offsets, singly or in
 * batches, through one of three backends behind the {@link io.lightningdb.io.PageIO} interface:
 * io_uring ({@link io.lightningdb.io.UringPageIO}), pread/pwrite with optional O_DIRECT
 * ({@link io.lightningdb.io.PosixPageIO}) and the portable {@code FileChannel}
 * ({@link io.lightningdb.io.ChannelPageIO}). {@link io.lightningdb.io.PageIOs#open} picks one from
 * an {@link io.lightningdb.io.IoConfig}; {@code AUTO} picks the best that works on this machine and
 * logs which.
 */
package io.lightningdb.io;
