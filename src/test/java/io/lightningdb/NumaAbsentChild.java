package io.lightningdb;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A child JVM for {@link NumaDatabaseTest}, run with {@code -Dlightning.native.disable=libnuma}:
 * opens a database asking for NUMA placement and pinned threads, prints what capabilities say
 * (the log goes to stderr, merged by the parent), and checks that the database works.
 */
public final class NumaAbsentChild {
    private NumaAbsentChild() {}

    public static void main(String[] args) {
        LightningDbConfig config = LightningDbConfig.builder().cacheSize(4L << 20).maxDatabaseSize(64L << 20)
                .walSegmentSize(1L << 20).enableNumaAwareness(true).pinThreads(true).build();
        try (Database db = Database.open(Path.of(args[0]), config)) {
            db.capabilities().describe().forEach(System.out::println);
            byte[] k = {1, 2, 3};
            db.put(k, k);
            if (Arrays.equals(db.get(k), k)) {
                System.out.println("put-get ok");
            }
        }
    }
}
