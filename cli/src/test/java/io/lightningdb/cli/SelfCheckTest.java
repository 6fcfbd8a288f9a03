package io.lightningdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@code lightning selfcheck}: the native features and one IOPS line per backend, the scratch file removed. */
class SelfCheckTest {
    @Test
    void listsFeaturesAndMeasuresEveryBackend() throws Exception {
        Path dir = TestDirs.fresh("selfcheck");
        String out = CliCommandsTest.out(0, "selfcheck", "--dir", dir.toString(), "--file-size", "16", "--seconds", "0.1");
        assertTrue(out.startsWith("Lightning DB self-check: Java "), out);
        assertTrue(out.contains("\nnative features:\n"), out);
        assertTrue(out.contains("4 KiB random reads, O_DIRECT, 16 MiB file in " + dir), out);
        for (String line : new String[] {"  CHANNEL      1 ", "  POSIX        1 ", "  URING        1 ", "  URING       32 "}) {
            assertTrue(out.contains(line), line + " in\n" + out);
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "the scratch file is removed");
        }
        assertTrue(CliCommandsTest.err(64, "selfcheck", "--file-size", "8").startsWith(
                "lightning selfcheck: --file-size must be an integer in [16, 65536], got '8'"));
        TestDirs.deleteTree(dir);
    }
}
