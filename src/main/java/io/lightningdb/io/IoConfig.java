package io.lightningdb.io;

/**
 * The production guide's {@code IOConfig}: which backend, direct I/O, io_uring queue depth and
 * registered ("zero-copy") buffers.
 *
 * {@snippet class=io.lightningdb.io.IoExamples region="config"}
 *
 * @param backend which backend; {@code AUTO} picks the best that works
 * @param useDirectIo open files with O_DIRECT (bypass the OS page cache) where the filesystem
 *     allows; a filesystem that refuses it falls back to buffered I/O and logs so
 * @param ioUringEnabled whether {@code AUTO} may choose io_uring
 * @param ioUringQueueDepth io_uring submission queue entries: the most requests in flight per ring
 * @param enableZeroCopy register buffer regions with io_uring so reads and writes into them skip
 *     the kernel's per-request page pinning ({@code READ_FIXED}/{@code WRITE_FIXED})
 */
public record IoConfig(
        PageIOBackend backend, boolean useDirectIo, boolean ioUringEnabled, int ioUringQueueDepth, boolean enableZeroCopy) {

    public static final int MIN_QUEUE_DEPTH = 1;
    public static final int MAX_QUEUE_DEPTH = 4096;

    public IoConfig {
        if (backend == null) {
            throw new NullPointerException("backend");
        }
        if (ioUringQueueDepth < MIN_QUEUE_DEPTH || ioUringQueueDepth > MAX_QUEUE_DEPTH) {
            throw new IllegalArgumentException("ioUringQueueDepth must be in [" + MIN_QUEUE_DEPTH + ", "
                    + MAX_QUEUE_DEPTH + "], got " + ioUringQueueDepth);
        }
        if (backend == PageIOBackend.URING && !ioUringEnabled) {
            throw new IllegalArgumentException("backend URING contradicts ioUringEnabled=false");
        }
    }

    /** AUTO backend, direct I/O on, io_uring allowed with queue depth 256, registered buffers on. */
    public static IoConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy with another backend. */
    public IoConfig withBackend(PageIOBackend b) {
        return new IoConfig(b, useDirectIo, ioUringEnabled || b == PageIOBackend.URING, ioUringQueueDepth, enableZeroCopy);
    }

    /** A copy with direct I/O on or off. */
    public IoConfig withDirectIo(boolean direct) {
        return new IoConfig(backend, direct, ioUringEnabled, ioUringQueueDepth, enableZeroCopy);
    }

    /** A copy with another io_uring queue depth. */
    public IoConfig withQueueDepth(int depth) {
        return new IoConfig(backend, useDirectIo, ioUringEnabled, depth, enableZeroCopy);
    }

    /** Builder for {@link IoConfig}; {@link #build()} validates every field. */
    public static final class Builder {
        private PageIOBackend backend = PageIOBackend.AUTO;
        private boolean useDirectIo = true;
        private boolean ioUringEnabled = true;
        private int ioUringQueueDepth = 256;
        private boolean enableZeroCopy = true;

        private Builder() {}

        public Builder backend(PageIOBackend v) {
            this.backend = v;
            return this;
        }

        public Builder useDirectIo(boolean v) {
            this.useDirectIo = v;
            return this;
        }

        public Builder ioUringEnabled(boolean v) {
            this.ioUringEnabled = v;
            return this;
        }

        public Builder ioUringQueueDepth(int v) {
            this.ioUringQueueDepth = v;
            return this;
        }

        public Builder enableZeroCopy(boolean v) {
            this.enableZeroCopy = v;
            return this;
        }

        public IoConfig build() {
            return new IoConfig(backend, useDirectIo, ioUringEnabled, ioUringQueueDepth, enableZeroCopy);
        }
    }
}
