package io.lightningdb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test directories on a real disk filesystem (target/test-data, ext4 here), never tmpfs: tmpfs
 * ignores O_DIRECT alignment, so alignment bugs would pass unseen there.
 */
public final class TestDirs {
    private TestDirs() {}

    public static Path root() {
        String env = System.getenv("LIGHTNING_TEST_DIR");
        Path root = Path.of(env != null ? env : "target/test-data").toAbsolutePath();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }

    /**
     * A fresh empty directory for one test; {@link TestDirCleanup} deletes it after the test (or,
     * when made in a {@code @BeforeAll}, the class) passes, and keeps it when it fails.
     */
    public static Path fresh(String name) {
        try {
            Path dir = Files.createTempDirectory(root(), name + "-");
            TestDirCleanup.made(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a directory tree (after a test, so target/ does not grow run after run). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Whether the suite runs under CI (env CI=true), where native features are mandatory. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
