package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.nativeio.LibUring;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Capabilities says what is in use, consistently with the bindings, and never lies about O_DIRECT. */
class CapabilitiesTest {
    @Test
    void reportsWhatThisMachineOffers() throws Exception {
        Path dir = TestDirs.fresh("caps");
        Capabilities caps = Capabilities.detect(LightningDbConfig.defaults(), dir);
        assertTrue(caps.libc().available(), caps.libc().detail());
        assertEquals(LibUring.system().isAvailable(), caps.ioUring().available(), caps.ioUring().detail());
        if (TestDirs.underCi()) {
            assertTrue(caps.ioUring().available(), "CI=true: io_uring is mandatory: " + caps.ioUring().detail());
        }
        assertEquals(caps.ioUring().available() ? IoBackend.URING : IoBackend.POSIX, caps.ioBackend());
        assertTrue(caps.directIo().available(), "target/ is a disk filesystem: " + caps.directIo().detail());
        assertTrue(caps.simd().available(), "the suite runs with --add-modules jdk.incubator.vector: " + caps.simd().detail());
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the O_DIRECT probe file must be removed");
        }
        List<String> lines = caps.describe();
        assertEquals(6, lines.size());
        assertTrue(lines.get(0).startsWith("io backend") && lines.get(0).contains(caps.ioBackend().toString()), lines.get(0));
    }

    @Test
    void backendFollowsTheConfig() {
        Path dir = TestDirs.fresh("caps");
        assertEquals(IoBackend.CHANNEL, Capabilities.detect(LightningDbConfig.builder().ioBackend(IoBackend.CHANNEL).build(), dir).ioBackend());
        Capabilities noUring = Capabilities.detect(LightningDbConfig.builder().ioUringEnabled(false).build(), dir);
        assertEquals(IoBackend.POSIX, noUring.ioBackend());
        assertFalse(noUring.describe().get(0).contains("URING"));
    }
}
