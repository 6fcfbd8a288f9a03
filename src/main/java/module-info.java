/**
 * Lightning DB: an embedded, transactional, ordered key-value database. The module exports its
 * API alone, {@code io.lightningdb} ({@link io.lightningdb.Database} and what it hands out); the
 * engine's packages (tree, log, transactions, page file, buffer pool, I/O, native bindings) are
 * not exported, so no program can come to depend on them.
 *
 * <p>One engine package is exported to one named module, as a qualified export: page I/O
 * ({@code io.lightningdb.io}) to the command line {@code io.lightningdb.cli}, whose
 * {@code selfcheck} measures each backend through {@code PageIO}; to any other module it stays
 * closed. The benchmarks ({@code jmh/}) also reach into the engine (the key search, page I/O) and
 * run on the class path, where no package is encapsulated; they are not a module.
 *
 * <p>On the module path the library calls native code (libc, liburing, libnuma) through the
 * Foreign Function &amp; Memory API, so the JVM is started with
 * {@code --enable-native-access=io.lightningdb} (on the class path:
 * {@code --enable-native-access=ALL-UNNAMED}).
 */
// "module": io.lightningdb.cli, the target of the qualified export, is compiled after this module.
@SuppressWarnings("module")
module io.lightningdb {
    requires com.fasterxml.jackson.core;
    requires jdk.incubator.vector;
    // com.sun.nio.file.ExtendedOpenOption.DIRECT: O_DIRECT for the FileChannel backend.
    requires jdk.unsupported;
    // The physical memory the HIGH_MEMORY preset sizes its cache by.
    requires jdk.management;

    exports io.lightningdb;
    exports io.lightningdb.io to io.lightningdb.cli;
}
