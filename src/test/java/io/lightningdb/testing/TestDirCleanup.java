package io.lightningdb.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestInstancePreConstructCallback;

/**
 * Deletes the directories {@link TestDirs#fresh} made for a test once it passed, so repeated runs
 * do not fill the disk (a full run writes gigabytes); a failed test's directories stay for a
 * look. Directories made in {@code @BeforeAll} belong to the class and go after it, if every test
 * in it passed. Registered for every test by autodetection (src/test/resources). Tests run one at
 * a time in this JVM (no parallel execution is configured), which the single pending list relies on.
 */
public final class TestDirCleanup
        implements BeforeAllCallback, TestInstancePreConstructCallback, AfterEachCallback, AfterAllCallback {
    private static final List<Path> PENDING = new ArrayList<>();
    private static final List<Path> CLASS_LEVEL = new ArrayList<>();
    private static boolean classFailed;

    static synchronized void made(Path dir) {
        PENDING.add(dir);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (TestDirCleanup.class) {
            PENDING.clear();
            CLASS_LEVEL.clear();
            classFailed = false;
        }
    }

    /** After the class's {@code @BeforeAll} methods: what they made lives as long as the class. */
    @Override
    public void preConstructTestInstance(org.junit.jupiter.api.extension.TestInstanceFactoryContext factoryContext,
            ExtensionContext context) {
        synchronized (TestDirCleanup.class) {
            if (CLASS_LEVEL.isEmpty()) {
                CLASS_LEVEL.addAll(PENDING);
                PENDING.clear();
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<Path> dirs;
        synchronized (TestDirCleanup.class) {
            dirs = new ArrayList<>(PENDING);
            PENDING.clear();
            if (context.getExecutionException().isPresent()) {
                classFailed = true;
                return;
            }
        }
        delete(dirs);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<Path> dirs;
        synchronized (TestDirCleanup.class) {
            dirs = new ArrayList<>(CLASS_LEVEL);
            dirs.addAll(PENDING);
            CLASS_LEVEL.clear();
            PENDING.clear();
            if (classFailed || context.getExecutionException().isPresent()) {
                return;
            }
        }
        delete(dirs);
    }

    /** Best effort: a directory still in use (a mount point, a file a child process holds) stays. */
    private static void delete(List<Path> dirs) {
        for (Path d : dirs) {
            try {
                TestDirs.deleteTree(d);
            } catch (IOException | RuntimeException e) {
                System.err.println("TestDirCleanup: left " + d + ": " + e);
            }
        }
    }
}
