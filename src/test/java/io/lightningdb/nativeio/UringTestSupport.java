package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.fail;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Path;
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
        return TestDirs.underCi();
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

    /** A fresh, empty directory on a real disk filesystem (see {@link TestDirs}). */
    public static Path freshDir(String name) {
        return TestDirs.fresh(name);
    }

    /** The random seed for a test: {@code -Dlightning.seed} to replay, else fresh; printed either way. */
    public static long seed(String test) {
        return Seeds.seed(test);
    }
}
