/**
 * Lightning DB: an embedded, transactional, ordered key-value database. The module exports its
 * API alone, {@code io.lightningdb} ({@link io.lightningdb.Database} and what it hands out); the
 * engine's packages (tree, log, transactions, page file, buffer pool, I/O, native bindings) are
 * not exported, so no program can come to depend on them.
 *
 * <p>On the module path the library calls native code (libc, liburing, libnuma) through the
 * Foreign Function &amp; Memory API, so the JVM is started with
 * {@code --enable-native-access=io.lightningdb} (on the class path:
 * {@code --enable-native-access=ALL-UNNAMED}).
 */
module io.lightningdb {
    requires com.fasterxml.jackson.core;
    requires jdk.incubator.vector;
    // com.sun.nio.file.ExtendedOpenOption.DIRECT: O_DIRECT for the FileChannel backend.
    requires jdk.unsupported;
    // The physical memory the HIGH_MEMORY preset sizes its cache by.
    requires jdk.management;

    exports io.lightningdb;
}
