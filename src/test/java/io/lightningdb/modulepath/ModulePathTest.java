package io.lightningdb.modulepath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The library as a named module: a child JVM puts target/classes (the compiled module
 * io.lightningdb) and jackson-core on the module path, with native access granted to the module
 * alone, and runs {@link ModulePathMain} from the class path against it.
 */
class ModulePathTest {

    @Test
    void runsAsANamedModuleThatExportsOnlyTheApi() throws Exception {
        Path classes = Path.of("target/classes").toAbsolutePath();
        assertTrue(Files.exists(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        String[] cp = System.getProperty("java.class.path").split(File.pathSeparator);
        String jackson = Arrays.stream(cp).filter(e -> e.contains("jackson-core")).findFirst()
                .orElseThrow(() -> new AssertionError("jackson-core not on the test class path"));
        String testClasses = Arrays.stream(cp).filter(e -> e.endsWith("test-classes")).findFirst()
                .orElseThrow(() -> new AssertionError("test-classes not on the class path"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path dir = TestDirs.fresh("module-path");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=io.lightningdb",
                "--module-path", classes + File.pathSeparator + jackson, "--add-modules", "io.lightningdb",
                "-cp", testClasses, ModulePathMain.class.getName(), dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("module io.lightningdb exports [io.lightningdb]"), out);
        assertTrue(out.contains("exports to named modules only [io.lightningdb.io to [io.lightningdb.cli]]"), out);
        assertTrue(out.contains("engine closed to callers: io.lightningdb.btree.BTree"), out);
        assertTrue(out.contains("put/get/scan/transaction ok"), out);
        // Native access was granted to the module, so the JDK has nothing to warn about.
        assertTrue(!out.contains("restricted method"), out);
    }
}
