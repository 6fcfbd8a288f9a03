package io.lightningdb.modulepath;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.Transaction;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeSet;

/** The child of {@link ModulePathTest}: uses the library from the class path while it is a named module. */
public final class ModulePathMain {
    private ModulePathMain() {}

    public static void main(String[] args) throws Exception {
        Module module = Database.class.getModule();
        if (!module.isNamed()) {
            throw new AssertionError("Database was loaded from the class path, not the module path");
        }
        TreeSet<String> exported = new TreeSet<>();
        TreeSet<String> qualified = new TreeSet<>();
        for (ModuleDescriptor.Exports e : module.getDescriptor().exports()) {
            if (e.isQualified()) {
                qualified.add(e.source() + " to " + e.targets());
            } else {
                exported.add(e.source());
            }
        }
        System.out.println("module " + module.getName() + " exports " + exported);
        System.out.println("module " + module.getName() + " exports to named modules only " + qualified);
        if (module.isExported("io.lightningdb.io")) {
            throw new AssertionError("io.lightningdb.io, exported to the command line alone, is exported to everyone");
        }
        String engineType = "io.lightningdb.btree.BTree";
        Class<?> engine = Class.forName(engineType);
        if (module.isExported(engine.getPackageName())) {
            throw new AssertionError(engineType + "'s package is exported");
        }
        try {
            java.lang.reflect.Method m = java.util.Arrays.stream(engine.getDeclaredMethods())
                    .filter(x -> java.lang.reflect.Modifier.isPublic(x.getModifiers())).findFirst().orElseThrow();
            java.lang.invoke.MethodHandles.publicLookup().unreflect(m);
            throw new AssertionError("a method of " + engineType + " was callable from outside the module");
        } catch (IllegalAccessException expected) {
            if (engine.getDeclaredMethods()[0].trySetAccessible()) {
                throw new AssertionError(engineType + " was opened to reflection");
            }
            System.out.println("engine closed to callers: " + engineType);
        }
        try (Database db = Database.open(Path.of(args[0]))) {
            for (int i = 0; i < 50; i++) {
                db.put(bytes("k" + (100 + i)), bytes("v" + i));
            }
            int n = 0;
            try (Cursor c = db.scan(bytes("k110"), bytes("k120"))) {
                while (c.next()) {
                    n++;
                }
            }
            try (Transaction tx = db.begin()) {
                tx.put(bytes("k100"), bytes("changed"));
                tx.commit();
            }
            String got = new String(db.get(bytes("k100")), StandardCharsets.UTF_8);
            if (n != 10 || !got.equals("changed")) {
                throw new AssertionError("scan found " + n + " of 10, k100 = " + got);
            }
        }
        System.out.println("put/get/scan/transaction ok");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
