package io.lightningdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.Database;
import io.lightningdb.cli.bench.HtmlReport;
import io.lightningdb.testing.TestDirs;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The command line as the module {@code io.lightningdb.cli}: a child JVM puts target/classes (the
 * compiled module, with its resources) and the jars of its runtime dependencies on the module path,
 * grants native access to the library module alone, and runs {@code -m io.lightningdb.cli/...Main}.
 * Each command reaches across a different boundary: {@code --version} the module's descriptor, put
 * and get the API, {@code stats --json} reflection on the API's records, {@code selfcheck} page
 * I/O (exported to this module alone), and {@code bench --report} the report's script and style
 * sheet, resources of the module.
 */
class ModulePathCliTest {
    /** The runtime dependencies of cli/pom.xml, as their jar names start; the test class path has them. */
    private static final List<String> RUNTIME_JARS =
            List.of("lightning-db-", "picocli-", "jackson-core-", "jackson-databind-", "jackson-annotations-", "HdrHistogram-");

    @Test
    void runsAsTheModuleIoLightningdbCli() throws Exception {
        Path dir = TestDirs.fresh("module-path-cli");
        String db = dir.resolve("db").toString();
        String version = run(dir, "--version");
        assertTrue(version.startsWith("Lightning DB ") && !version.contains("development build"), version);
        assertEquals("", run(dir, "put", "--db", db, "mp:key", "on the module path"));
        assertEquals("on the module path\n", run(dir, "get", "--db", db, "mp:key"));
        assertTrue(run(dir, "stats", "--db", db, "--json").contains("\"keys\" : 1"), "stats --json");

        String check = run(dir, "selfcheck", "--dir", dir.toString(), "--file-size", "16", "--seconds", "0.1");
        assertTrue(check.contains("  CHANNEL      1 ") && check.contains("  POSIX        1 "), check);

        Path report = dir.resolve("report.html");
        run(dir, "bench", "--workload", "a", "--keys", "1000", "--seconds", "0.2", "--warmup", "0", "--seed", "1",
                "--dir", dir.resolve("bench").toString(), "--report", report.toString());
        String html = Files.readString(report);
        assertTrue(html.contains(resource("report.css")), "the report's style sheet is inlined");
        assertTrue(html.contains(resource("report.js")), "the report's script is inlined");
        TestDirs.deleteTree(dir);
    }

    /** The library jar holds no package of the command line (a module may not share one with another). */
    @Test
    void theLibraryJarCarriesNothingOfTheCommandLine() throws IOException {
        Path library = Path.of(Database.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        assertTrue(library.getFileName().toString().endsWith(".jar"), "the library comes from its jar: " + library);
        try (ZipFile jar = new ZipFile(library.toFile())) {
            List<String> cli = jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("io/lightningdb/cli/")).toList();
            assertTrue(cli.isEmpty(), library + " holds " + cli);
        }
    }

    /** Runs one command in a child JVM on the module path; returns its stdout after checking it exited 0. */
    private static String run(Path dir, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=io.lightningdb",
                "--module-path", modulePath(), "-m", "io.lightningdb.cli/" + Main.class.getName()));
        cmd.addAll(Arrays.asList(args));
        File err = dir.resolve("stderr.txt").toFile();
        Process p = new ProcessBuilder(cmd).redirectError(err).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish: " + String.join(" ", args));
        String stderr = Files.readString(err.toPath());
        assertEquals(0, p.exitValue(), String.join(" ", args) + ":\n" + out + stderr);
        // Native access was granted to the library module, so the JDK has nothing to warn about.
        assertFalse(stderr.contains("restricted method"), stderr);
        return out;
    }

    private static String modulePath() {
        Path classes = Path.of("target/classes").toAbsolutePath();
        assertTrue(Files.exists(classes.resolve("module-info.class")), "no module-info.class in " + classes);
        List<String> path = new ArrayList<>(List.of(classes.toString()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.endsWith(".jar") && !name.endsWith("-tests.jar") && RUNTIME_JARS.stream().anyMatch(name::startsWith)) {
                path.add(entry);
            }
        }
        assertEquals(RUNTIME_JARS.size() + 1, path.size(), "module path " + path);
        return String.join(File.pathSeparator, path);
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            assertTrue(in != null, name + " is not a resource of " + HtmlReport.class.getPackageName());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
