package io.lightningdb.io;

import java.util.List;

/** The concrete backends every contract test runs on. */
final class BackendMatrix {
    private BackendMatrix() {}

    static List<IoBackend> concreteBackends() {
        return io.lightningdb.nativeio.LibUring.system().isAvailable() || io.lightningdb.testing.TestDirs.underCi()
                ? List.of(IoBackend.CHANNEL, IoBackend.POSIX, IoBackend.URING)
                : List.of(IoBackend.CHANNEL, IoBackend.POSIX);
    }
}
