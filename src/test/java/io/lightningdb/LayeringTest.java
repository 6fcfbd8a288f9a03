package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows down: API, engine, then txn / btree (behind store) / pagefile / cache / wal / io,
 * then nativeio. A
 * package may use only the packages listed for it; none below the API may name an API type
 * (comments may: they are how a layer says who calls it).
 */
class LayeringTest {
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "engine", Set.of("store", "txn", "btree", "pagefile", "cache", "wal", "io", "nativeio"),
            "store", Set.of(),
            "txn", Set.of(),
            "btree", Set.of("store", "pagefile", "cache"),
            "pagefile", Set.of("cache", "io"),
            "cache", Set.of("io", "nativeio"),
            "wal", Set.of("io", "nativeio"),
            "io", Set.of("nativeio"),
            "nativeio", Set.of());
    /** A use of another package: {@code io.lightningdb.x.} or an API type {@code io.lightningdb.X}. */
    private static final Pattern USE = Pattern.compile("\\bio\\.lightningdb\\.([a-z]+\\.|[A-Z])");

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        int files = 0;
        for (Path root : List.of(Path.of("src/main/java/io/lightningdb"), Path.of("src/native-bindings/java/io/lightningdb"))) {
            try (Stream<Path> s = Files.walk(root)) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Path rel = root.relativize(f);
                    if (rel.getNameCount() < 2) {
                        continue; // the API package may use everything
                    }
                    files++;
                    String pkg = rel.getName(0).toString();
                    assertTrue(ALLOWED.containsKey(pkg), "a package this test does not know: " + pkg);
                    String[] lines = Files.readString(f).split("\n");
                    for (int i = 0; i < lines.length; i++) {
                        String line = lines[i];
                        String t = line.trim();
                        if (line.startsWith("package ") || t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
                            continue;
                        }
                        Matcher m = USE.matcher(line);
                        while (m.find()) {
                            String used = m.group(1);
                            String target = used.endsWith(".") ? used.substring(0, used.length() - 1) : "the API";
                            if (!target.equals(pkg) && !ALLOWED.get(pkg).contains(target)) {
                                violations.add(f + ":" + (i + 1) + " (" + pkg + ") uses " + target + ": " + line.trim());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(files > 50, "found only " + files + " engine source files: run from the project directory");
        assertEquals(List.of(), violations);
    }
}
