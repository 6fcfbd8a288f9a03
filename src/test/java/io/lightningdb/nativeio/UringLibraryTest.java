package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Loading liburing: these run everywhere, with or without io_uring. */
class UringLibraryTest {
    @Test
    void missingLibraryIsUnavailableWithInstallHint() {
        LibUring missing = LibUring.load("liburing-does-not-exist.so.2");
        assertFalse(missing.isAvailable());
        String reason = missing.unavailableReason();
        assertNotNull(reason);
        assertTrue(reason.contains("liburing-does-not-exist.so.2"), reason);
        assertTrue(reason.contains("apt-get install liburing2"), reason);
        assertTrue(missing.toString().contains("unavailable"), missing.toString());
        assertThrows(IllegalStateException.class, () -> UringRing.open(missing, 4));
    }

    @Test
    void libraryWithoutUringSymbolsIsUnavailable() {
        // libc loads fine but exports none of liburing's functions.
        LibUring wrong = LibUring.load("libc.so.6");
        assertFalse(wrong.isAvailable());
        assertTrue(wrong.unavailableReason().contains("io_uring_"), wrong.unavailableReason());
    }

    @Test
    void systemInstanceIsASingletonWithAConsistentAnswer() {
        LibUring a = LibUring.system();
        assertSame(a, LibUring.system());
        assertTrue(a.isAvailable() == (a.unavailableReason() == null));
        if (UringTestSupport.underCi()) {
            assertTrue(a.isAvailable(), "CI installs liburing2: " + a.unavailableReason());
        }
    }
}
