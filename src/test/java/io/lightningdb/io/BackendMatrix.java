package io.lightningdb.io;

import java.util.List;

/** The concrete backends every contract test runs on. */
final class BackendMatrix {
    private BackendMatrix() {}

    static List<PageIOBackend> concreteBackends() {
        return io.lightningdb.nativeio.LibUring.system().isAvailable() || io.lightningdb.testing.TestDirs.underCi()
                ? List.of(PageIOBackend.CHANNEL, PageIOBackend.POSIX, PageIOBackend.URING)
                : List.of(PageIOBackend.CHANNEL, PageIOBackend.POSIX);
    }
}
