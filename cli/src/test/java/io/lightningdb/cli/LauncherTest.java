package io.lightningdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ./lightning launcher finds a JDK >= 25 and says exactly what to install when there is none. */
class LauncherTest {
    record Result(int exit, String out) {}

    static Result launcher(Map<String, String> env, String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bash";
        cmd[1] = Path.of("..", "lightning").toAbsolutePath().normalize().toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        return new Result(p.waitFor(), out);
    }

    @Test
    void skipsAnOldJavaHomeAndFindsJdk25UnderTheJvmDirectory() throws Exception {
        Path jvmDir = Path.of(System.getProperty("java.home")).getParent();
        Result r = launcher(Map.of("JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64",
                "LIGHTNING_JVM_DIR", jvmDir.toString()), "--print-java-home");
        assertEquals(0, r.exit(), r.out());
        Path found = Path.of(r.out().trim());
        assertTrue(Files.isExecutable(found.resolve("bin/java")), r.out());
        Process v = new ProcessBuilder(found.resolve("bin/java").toString(), "-version").redirectErrorStream(true).start();
        String version = new String(v.getInputStream().readAllBytes());
        v.waitFor();
        int major = Integer.parseInt(version.replaceAll("(?s).*version \"(\\d+).*", "$1"));
        assertTrue(major >= 25, version);
    }

    @Test
    void noJdk25SaysWhatToInstallAndExits2() throws Exception {
        Result r = launcher(Map.of("JAVA_HOME", "/nonexistent-jdk", "LIGHTNING_JVM_DIR", "/nonexistent-jvm-dir"), "selfcheck");
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.out().contains("no JDK 25 or newer found"), r.out());
        assertTrue(r.out().contains("temurin-25-jdk") && r.out().contains("JAVA_HOME"), r.out());
    }
}
