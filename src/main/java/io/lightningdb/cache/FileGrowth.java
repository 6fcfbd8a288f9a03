package io.lightningdb.cache;

import io.lightningdb.io.PageIO;
import java.io.IOException;

/**
 * Grows the data file ahead of the writes that would extend it. On ext4 an O_DIRECT write past
 * the end of the file allocates blocks and moves the size under the inode's lock, one write at
 * a time: measured here with fio (16 KiB writes, depth 32), 6.8K writes/s extending the file
 * against 45K into space fallocated first. So a checkpoint that writes its pages to fresh slots
 * at the end of the file ran at a seventh of the disk's speed. The file is grown by {@code fallocate}
 * in steps of an eighth of its size (1 MiB to 64 MiB) before any write that passes its end, and
 * cut back to the slots in use when it closes ({@link PageTable#closeTail}), so the preallocation
 * costs no disk after close. Growing is best effort: when fallocate fails (a full disk) the write goes ahead and
 * reports its own error.
 */
final class FileGrowth {
    static final long MIN_STEP = 1L << 20;
    static final long MAX_STEP = 64L << 20;

    /**
     * Bytes the file spans, written or preallocated; -1 until this handle first covers a write or
     * cuts the file, so a close after a failed open, or one that never wrote, leaves the file alone.
     */
    private volatile long covered = -1;

    /** Before writes that end at {@code end} bytes: grows the file past it if it does not reach there. */
    void cover(long end, PageIO io) throws IOException {
        if (end <= covered) {
            return;
        }
        synchronized (this) {
            long have = covered;
            if (have < 0) {
                have = io.size();
            }
            if (end <= have) {
                covered = have;
                return;
            }
            long step = Math.min(MAX_STEP, Math.max(MIN_STEP, have / 8)) / io.pageSize() * io.pageSize();
            long target = Math.max(end, have + step);
            try {
                io.preallocate(have, target - have);
                covered = target;
            } catch (IOException e) {
                // No room for the step: the writes extend the file themselves, and fail on their own if they must.
                covered = have;
            }
        }
    }

    /** The file was cut to {@code bytes} (compaction): growth starts from there. */
    synchronized void cutTo(long bytes) {
        covered = bytes;
    }

    /** Whether this handle ever grew or cut the file: a close after a failed open, or one that never wrote, did not. */
    boolean touched() {
        return covered >= 0;
    }
}
