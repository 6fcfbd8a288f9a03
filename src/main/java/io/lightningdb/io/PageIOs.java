package io.lightningdb.io;

import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.LibUring;
import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens a {@link PageIO} with the backend an {@link IoConfig} asks for. {@code AUTO} picks the best
 * that works here (io_uring, then pread/pwrite, then FileChannel) and logs which, once per reason.
 * An explicitly requested backend that cannot run is an {@link IOBackendUnavailableException}.
 *
 * {@snippet class=io.lightningdb.io.IoExamples region="open"}
 *
 * <p>The overloads taking a {@link LibUring} exist so tests can simulate a machine without
 * liburing: {@code PageIOs.open(path, 4096, config, LibUring.load("missing.so.2"))}.
 */
public final class PageIOs {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.io");
    /** Messages already logged: the choice is made per file, the reason rarely changes. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private PageIOs() {}

    /** Opens (creating if absent) a page file with the configured backend and the system liburing. */
    public static PageIO open(Path path, int pageSize, IoConfig config) throws IOException {
        return open(path, pageSize, config, LibUring.system());
    }

    /** Opens (creating if absent) a page file with the configured backend, judging io_uring by {@code uring}. */
    public static PageIO open(Path path, int pageSize, IoConfig config, LibUring uring) throws IOException {
        PageIOBackend backend = resolve(config, uring);
        return switch (backend) {
            case URING -> {
                if (config.backend() == PageIOBackend.URING) {
                    yield UringPageIO.open(path, pageSize, config, uring);
                }
                try {
                    yield UringPageIO.open(path, pageSize, config, uring);
                } catch (IOCallException e) {
                    // AUTO: a ring that cannot be set up for this file (e.g. too little locked
                    // memory for a deep queue) is a reason to fall back, not to fail.
                    if (!e.call().startsWith("io_uring")) {
                        throw e;
                    }
                    logOnce(Level.WARNING, "io backend AUTO: io_uring ring setup failed (" + e.getMessage()
                            + "); using pread/pwrite");
                    yield PosixPageIO.open(path, pageSize, config.useDirectIo());
                }
            }
            case POSIX -> PosixPageIO.open(path, pageSize, config.useDirectIo());
            case CHANNEL -> ChannelPageIO.open(path, pageSize, config.useDirectIo());
            default -> throw new IOBackendUnavailableException(backend, "no such backend in this build");
        };
    }

    /** The backend {@link #open} would use for this config on this machine (never AUTO). */
    public static PageIOBackend resolve(IoConfig config) throws IOBackendUnavailableException {
        return resolve(config, LibUring.system());
    }

    /** Like {@link #resolve(IoConfig)}, judging io_uring by {@code uring}. */
    public static PageIOBackend resolve(IoConfig config, LibUring uring) throws IOBackendUnavailableException {
        switch (config.backend()) {
            case POSIX -> {
                if (!Libc.isAvailable()) {
                    throw new IOBackendUnavailableException(PageIOBackend.POSIX, Libc.unavailableReason());
                }
                return PageIOBackend.POSIX;
            }
            case CHANNEL -> {
                return PageIOBackend.CHANNEL;
            }
            case URING -> {
                if (!uring.isAvailable()) {
                    throw new IOBackendUnavailableException(PageIOBackend.URING, uring.unavailableReason());
                }
                return PageIOBackend.URING;
            }
            default -> {
                if (config.ioUringEnabled() && uring.isAvailable()) {
                    logOnce(Level.DEBUG, "io backend AUTO: using io_uring (" + uring.soname() + ")");
                    return PageIOBackend.URING;
                }
                String why = config.ioUringEnabled()
                        ? "io_uring unavailable: " + uring.unavailableReason()
                        : "io_uring disabled by IoConfig.ioUringEnabled=false";
                if (Libc.isAvailable()) {
                    logOnce(Level.INFO, "io backend AUTO: " + why + "; using pread/pwrite");
                    return PageIOBackend.POSIX;
                }
                logOnce(Level.INFO, "io backend AUTO: " + why + "; libc unavailable (" + Libc.unavailableReason()
                        + "); using FileChannel");
                return PageIOBackend.CHANNEL;
            }
        }
    }

    /**
     * Whether O_DIRECT works on the filesystem of {@code dir}: null if a page can be written and
     * read back with it, else the reason. Uses (and removes) a small probe file in {@code dir}.
     */
    public static String probeDirectIo(Path dir) {
        Path probe = dir.resolve(".lightning-direct-probe-" + ProcessHandle.current().pid());
        PageIOBackend backend = Libc.isAvailable() ? PageIOBackend.POSIX : PageIOBackend.CHANNEL;
        try (PageIO io = open(probe, AbstractPageIO.MIN_PAGE_SIZE, IoConfig.defaults().withBackend(backend));
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            if (!io.directIo()) {
                return "the filesystem of " + dir.toAbsolutePath() + " refuses O_DIRECT: buffered I/O";
            }
            java.lang.foreign.MemorySegment page =
                    arena.allocate(AbstractPageIO.MIN_PAGE_SIZE, AbstractPageIO.DIRECT_BUFFER_ALIGNMENT);
            io.write(0, page);
            io.read(0, page);
            return null;
        } catch (IOException e) {
            return "O_DIRECT probe in " + dir.toAbsolutePath() + " failed: " + e.getMessage();
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a leftover probe file is harmless and named for this pid
            }
        }
    }

    private static void logOnce(Level level, String message) {
        if (LOGGED.add(message)) {
            LOG.log(level, message);
        }
    }
}
