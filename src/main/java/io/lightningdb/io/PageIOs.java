package io.lightningdb.io;

import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Opens a {@link PageIO} with the backend an {@link IoConfig} asks for. {@code AUTO} picks the best
 * that works here (io_uring, then pread/pwrite, then FileChannel) and logs which, once per reason.
 * An explicitly requested backend that cannot run is an {@link IOBackendUnavailableException}.
 *
 * <pre>{@code
 * try (PageIO io = PageIOs.open(dir.resolve("db.pages"), 4096, IoConfig.defaults())) {
 *     System.out.println("using " + io.backend() + (io.directIo() ? " with O_DIRECT" : ""));
 * }
 * }</pre>
 */
public final class PageIOs {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.io");

    private PageIOs() {}

    /** Opens (creating if absent) a page file with the configured backend. */
    public static PageIO open(Path path, int pageSize, IoConfig config) throws IOException {
        IoBackend backend = resolve(config);
        return switch (backend) {
            case POSIX -> PosixPageIO.open(path, pageSize, config.useDirectIo());
            case CHANNEL -> ChannelPageIO.open(path, pageSize, config.useDirectIo());
            default -> throw new IOBackendUnavailableException(backend, "no such backend in this build");
        };
    }

    /** The backend {@link #open} would use for this config on this machine (never AUTO). */
    public static IoBackend resolve(IoConfig config) throws IOBackendUnavailableException {
        switch (config.backend()) {
            case POSIX -> {
                if (!Libc.isAvailable()) {
                    throw new IOBackendUnavailableException(IoBackend.POSIX, Libc.unavailableReason());
                }
                return IoBackend.POSIX;
            }
            case CHANNEL -> {
                return IoBackend.CHANNEL;
            }
            case URING -> throw new IOBackendUnavailableException(IoBackend.URING, "not built yet");
            default -> {
                if (Libc.isAvailable()) {
                    return IoBackend.POSIX;
                }
                LOG.log(Level.INFO, "io backend AUTO: libc unavailable ({0}); using FileChannel", Libc.unavailableReason());
                return IoBackend.CHANNEL;
            }
        }
    }
}
