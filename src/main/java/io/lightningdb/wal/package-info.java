/**
 * The write-ahead log: every write operation of the engine is appended here as one record and made
 * durable before it is acknowledged; at open the engine replays the log from its last checkpoint.
 * Uses nothing of btree, cache, pagefile or the API package (only java.nio and nativeio's libc).
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="lifecycle"}
 *
 * <p><b>Group commit.</b> {@link io.lightningdb.wal.Wal#append} copies the record into an off-heap
 * buffer under a short lock and takes the next LSN range. A thread in
 * {@link io.lightningdb.wal.Wal#awaitDurable} returns at once if its LSN is durable; otherwise, if
 * no flush is running, it becomes the leader: it swaps the buffer, writes it (one pwrite per
 * segment touched), fdatasyncs, publishes {@code durableLsn} and wakes everyone; if a flush is
 * running it waits for it, and commits that arrived during that sync form the next group.
 * <ul>
 *   <li><b>SYNC</b>: the leader flushes at once. Concurrent commits still share syncs: those
 *       arriving while a sync runs go together in the next one.
 *   <li><b>BATCH</b>: the leader may hold its group open, by this rule: it waits only if more than
 *       one committer was waiting at once since the previous group began (the <i>expected</i>
 *       count), and only until that many committers are waiting, or {@code writeBatchSize}
 *       records are pending, or {@code batchMaxWaitNanos} passed, whichever comes first, and never
 *       longer than a quarter of what a flush has been taking lately (a moving average): while the
 *       leader holds, the device idles, so a long hold costs the waiting committers more than the
 *       sync it saves (measured on 2 cores: holding for up to the full 500 µs made 8 threads slower
 *       than SYNC; a quarter flush keeps BATCH at SYNC's commit rate with half to a third of its
 *       syncs). A lone
 *       thread therefore never waits (its expected count is 1) and runs at SYNC speed; when the
 *       load drops from many threads to one, the leader waits at most once more.
 *   <li><b>ASYNC</b>: commits return at once; a daemon thread writes and syncs every
 *       {@code flushIntervalNanos} (a crash loses at most about that interval), and earlier when
 *       {@value io.lightningdb.wal.Wal#ASYNC_EARLY_FLUSH} bytes are pending.
 * </ul>
 * Memory stays bounded in every mode: an append that would take the pending bytes past
 * {@value io.lightningdb.wal.Wal#BUFFER_LIMIT} first waits for (or does) a flush; a single larger
 * record is buffered alone, and the buffer shrinks back after it is written.
 *
 * <p><b>Segments.</b> Segments grow with use: 1 MiB first, each next one twice the last, up to
 * the configured segment size, so a new log takes a MiB or two of disk. At most one spare is kept:
 * a segment retired by {@link io.lightningdb.wal.Wal#truncateBefore}, or one preallocated with
 * zeros by a background thread once the current segment is half full; a clean close deletes it and
 * cuts the current segment after its last record. Starting a segment is a rename and a header write; the next flush syncs the file and the
 * directory before any record in it counts as durable. A record never spans segments, so a record
 * is limited to the segment size minus its headers ({@link io.lightningdb.wal.WalConfig#maxPayload()}).
 *
 * <p><b>Failures.</b> A failed write or fdatasync fails the log for good
 * ({@link io.lightningdb.wal.WalFailedException} from then on; reopen the database), because a
 * retried fsync can report success for pages the kernel already dropped. Failing to create a new
 * segment (no space) fails only the append that needed it, which appends nothing; later appends
 * try again.
 *
 * <p>The on-disk format is in docs/wal-format.md; its offsets are in {@link io.lightningdb.wal.WalFormat}.
 */
package io.lightningdb.wal;
