package io.lightningdb.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM running a test class's {@code main}: this JVM's java binary and
 * class path, the flags project code needs, and a small serial-GC heap with C1 only, so that the
 * children of crash tests start cheaply on two shared cores.
 */
public final class ChildJvm {
    private ChildJvm() {}

    public static List<String> command(Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("the test JVM's java binary is unknown"));
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-modules",
                "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
