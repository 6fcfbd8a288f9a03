package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared by the io_uring tests: the availability gate (skip with the reason on a developer machine,
 * fail under CI where liburing is installed on purpose), test directories on a real filesystem, and
 * replayable random seeds.
 */
public final class UringTestSupport {
    private UringTestSupport() {}

    /** Whether we run under CI (env CI=true), where every prerequisite must be present. */
    public static boolean underCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** The system liburing; aborts the test (or fails it under CI) when io_uring is unavailable. */
    public static LibUring requireUring() {
        LibUring lib = LibUring.system();
        if (!lib.isAvailable()) {
            if (underCi()) {
                fail("io_uring must be available under CI (CI=true): " + lib.unavailableReason());
            }
            Assumptions.abort("io_uring unavailable: " + lib.unavailableReason());
        }
        return lib;
    }

    /**
     * A fresh, empty directory under {@code LIGHTNING_TEST_DIR} (target/test-data): a real disk
     * filesystem, not tmpfs, so that O_DIRECT alignment rules are actually enforced.
     */
    public static Path freshDir(String name) {
        String base = System.getenv("LIGHTNING_TEST_DIR");
        Path dir = Path.of(base != null ? base : "target/test-data").toAbsolutePath().resolve(name);
        try {
            deleteTree(dir);
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The random seed for a test: {@code -Dlightning.seed} to replay, else fresh; printed either way. */
    public static long seed(String test) {
        String fixed = System.getProperty("lightning.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.decode(fixed.trim()) : System.nanoTime();
        System.out.println(test + ": seed " + seed + " (replay with -Dlightning.seed=" + seed + ")");
        return seed;
    }
}
