package io.lightningdb.wal;

/**
 * What {@link WalReader#read} found.
 *
 * {@snippet class=io.lightningdb.wal.WalExamples region="recover"}
 *
 * @param endLsn the LSN just past the last valid record (where appending resumes)
 * @param records records handed to the visitor
 * @param bytes log bytes of those records (headers included)
 * @param cut whether invalid bytes followed the last valid record (a torn or damaged tail)
 * @param cutReason why the tail was cut, with file and offset; null when {@code cut} is false
 */
public record WalRecovery(long endLsn, long records, long bytes, boolean cut, String cutReason) {}
