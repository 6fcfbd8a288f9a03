package io.lightningdb.jmh.kv;

import io.lightningdb.Database;
import java.nio.file.Path;

/**
 * Builds the Lightning DB database that KvSmallCacheBenchmark reads (same keys, same preload) in
 * a directory of its own, so that jmh/kv-bench.sh can run fio on its file. Prints
 * {@code file=... bytes=... pageSize=...}.
 *
 * {@snippet :
 * java -cp target/benchmarks.jar io.lightningdb.jmh.kv.KvFioFile target/kv-bench/fio-data 1000000
 * }
 */
public final class KvFioFile {
    private KvFioFile() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: KvFioFile <dir> <keys>");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int keys = Integer.parseInt(args[1]);
        Fixture.checkKeys(keys);
        KvStore.deleteTree(dir);
        int pageSize;
        try (KvStore store = KvStore.open("lightning", dir, Fixture.largeCache(keys), true)) {
            Fixture.fill(store, keys);
            Fixture.verify(store, keys);
            pageSize = pageSize(store.report());
        }
        Path file = dir.resolve(Database.FILE_NAME);
        System.out.println("file=" + file + " bytes=" + KvStore.dirBytes(dir) + " pageSize=" + pageSize);
    }

    private static int pageSize(String report) {
        for (String field : report.split(" ")) {
            if (field.startsWith("pageSize=")) {
                return Integer.parseInt(field.substring("pageSize=".length()));
            }
        }
        throw new IllegalStateException("no pageSize in Lightning's report: " + report);
    }
}
