package io.lightningdb.pagefile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.io.IoConfig;
import io.lightningdb.testing.TestDirs;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The page file's Javadoc examples run, and do what their comments say. */
class PageFileExamplesTest {
    @Test
    void createAndEpochs() throws Exception {
        Path path = TestDirs.fresh("examples-pagefile").resolve("db.pages");
        long pid = PageFileExamples.create(path);
        try (PageFile f = PageFile.open(path, IoConfig.defaults(), 1L << 20, 64L << 20)) {
            assertEquals(pid, f.loadedSuperblock().rootPage());
            assertEquals(1, PageFileExamples.epochs(f.epochs()));
        }
    }

    @Test
    void relocateEmptiesNothingOnAFreshFile() throws Exception {
        Path path = TestDirs.fresh("examples-relocate").resolve("db.pages");
        try (PageFile f = PageFile.create(path, 4096, 1024, IoConfig.defaults(), 1L << 20, 64L << 20)) {
            long root = f.allocate();
            f.pool().unlock(root);
            PageFileExamples.Checkpoint checkpoint = () -> f.persist(f.capture(root, 1, 0, 0, 0));
            checkpoint.run();
            assertTrue(PageFileExamples.relocate(f, checkpoint, done -> { }) >= 0);
        }
    }
}
