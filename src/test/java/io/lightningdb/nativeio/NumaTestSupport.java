package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared by the NUMA tests: libnuma may be absent on a developer machine, never on CI. */
public final class NumaTestSupport {
    private NumaTestSupport() {}

    /**
     * The system libnuma; skips the test when it is unavailable, but fails it when {@code CI=true}
     * (CI images install libnuma1) unless it was hidden with {@code -Dlightning.native.disable}.
     */
    public static LibNuma requireSystemNuma() {
        LibNuma numa = LibNuma.system();
        if (!numa.isAvailable()) {
            // -Dlightning.native.disable=libnuma hides it on purpose, CI or not.
            boolean deliberate = NativeAccess.disabledByProperty(LibNuma.PROPERTY_NAME);
            if (!deliberate && "true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("libnuma must be available on CI: " + numa.unavailableReason());
            }
            assumeTrue(false, "libnuma unavailable: " + numa.unavailableReason());
        }
        return numa;
    }
}
