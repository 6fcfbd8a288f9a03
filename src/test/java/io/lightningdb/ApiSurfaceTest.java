package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The exported package is the API and nothing else: no public or protected member of a public
 * type in {@code io.lightningdb} names a type of an engine package, so the engine can change
 * without breaking a caller, and the module descriptor exports that package alone to everyone;
 * what it exports to a named module only goes to the command line {@code io.lightningdb.cli}.
 */
class ApiSurfaceTest {
    private static final String API = "io.lightningdb";

    @Test
    void noEngineTypeInAPublicSignature() throws Exception {
        List<String> leaks = new ArrayList<>();
        int types = 0;
        for (Class<?> c : apiTypes()) {
            types++;
            check(leaks, c, "extends", c.getGenericSuperclass());
            for (Type t : c.getGenericInterfaces()) {
                check(leaks, c, "implements", t);
            }
            for (Field f : c.getDeclaredFields()) {
                if (visible(f.getModifiers())) {
                    check(leaks, c, "field " + f.getName(), f.getGenericType());
                }
            }
            for (Method m : c.getDeclaredMethods()) {
                if (visible(m.getModifiers()) && !m.isSynthetic()) {
                    check(leaks, c, m.getName() + "() returns", m.getGenericReturnType());
                    checkExecutable(leaks, c, m);
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (visible(k.getModifiers()) && !k.isSynthetic()) {
                    checkExecutable(leaks, c, k);
                }
            }
        }
        assertTrue(types >= 20, "found only " + types + " public API types");
        assertTrue(leaks.isEmpty(), "engine types in the public API:\n" + String.join("\n", leaks));
    }

    @Test
    void theModuleExportsTheApiPackageAlone() throws Exception {
        var finder = java.lang.module.ModuleFinder.of(Path.of("target/classes"));
        var descriptor = finder.find(API).orElseThrow(() -> new AssertionError("no module io.lightningdb in target/classes"))
                .descriptor();
        Set<String> exported = new TreeSet<>();
        Set<String> qualifiedTargets = new TreeSet<>();
        descriptor.exports().forEach(e -> {
            if (e.isQualified()) {
                qualifiedTargets.addAll(e.targets());
            } else {
                exported.add(e.source());
            }
        });
        assertEquals(Set.of(API), exported);
        assertTrue(Set.of("io.lightningdb.cli").containsAll(qualifiedTargets), "engine packages exported to " + qualifiedTargets);
        assertTrue(descriptor.opens().isEmpty(), "opens " + descriptor.opens());
    }

    private static void checkExecutable(List<String> leaks, Class<?> c, Executable e) {
        for (Type p : e.getGenericParameterTypes()) {
            check(leaks, c, e.getName() + "() takes", p);
        }
        for (Type x : e.getGenericExceptionTypes()) {
            check(leaks, c, e.getName() + "() throws", x);
        }
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static void check(List<String> leaks, Class<?> owner, String where, Type t) {
        if (t == null) {
            return;
        }
        switch (t) {
            case Class<?> k when k.isArray() -> check(leaks, owner, where, k.getComponentType());
            case Class<?> k -> {
                String pkg = k.getPackageName();
                if (pkg.startsWith(API + ".") && !pkg.equals(API)) {
                    leaks.add(owner.getName() + ": " + where + " " + k.getName());
                }
            }
            case ParameterizedType p -> {
                check(leaks, owner, where, p.getRawType());
                for (Type a : p.getActualTypeArguments()) {
                    check(leaks, owner, where, a);
                }
            }
            case GenericArrayType g -> check(leaks, owner, where, g.getGenericComponentType());
            case WildcardType w -> {
                Stream.of(w.getUpperBounds()).forEach(b -> check(leaks, owner, where, b));
                Stream.of(w.getLowerBounds()).forEach(b -> check(leaks, owner, where, b));
            }
            default -> { }
        }
    }

    /** Every public type of the API package, nested ones included, from the compiled classes. */
    private static List<Class<?>> apiTypes() throws Exception {
        Path dir = Path.of("target/classes/io/lightningdb");
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String simple = f.getFileName().toString().replace(".class", "");
                if (simple.equals("package-info")) {
                    continue;
                }
                Class<?> c = Class.forName(API + "." + simple.replace('/', '.'), false, ApiSurfaceTest.class.getClassLoader());
                if (isApi(c)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private static boolean isApi(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) {
                return false;
            }
        }
        return true;
    }
}
