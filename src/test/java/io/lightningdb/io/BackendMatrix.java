package io.lightningdb.io;

import java.util.List;

/** The concrete backends every contract test runs on. */
final class BackendMatrix {
    private BackendMatrix() {}

    static List<IoBackend> concreteBackends() {
        return List.of(IoBackend.CHANNEL, IoBackend.POSIX);
    }
}
