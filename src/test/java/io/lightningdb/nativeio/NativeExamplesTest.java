package io.lightningdb.nativeio;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lightningdb.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The native bindings' libc example runs (the io_uring and NUMA ones need the libraries: compiled only). */
class NativeExamplesTest {
    @Test
    void libcReadsAPage() throws Exception {
        Path path = TestDirs.fresh("examples-native").resolve("file");
        Files.write(path, new byte[4096]);
        NativeExamples.libc(path);
        Files.write(path, new byte[100]);
        assertThrows(EndOfFileException.class, () -> NativeExamples.libc(path));
    }
}
