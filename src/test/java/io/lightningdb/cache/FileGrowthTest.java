package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lightningdb.io.IoConfig;
import io.lightningdb.io.PageIO;
import io.lightningdb.io.PageIOBackend;
import io.lightningdb.io.PageIOs;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The data file grows ahead of the writes in steps, and a close that wrote cuts it after its highest slot in use. */
class FileGrowthTest {
    private static final int PAGE = 4096;
    private static final long MIB = 1L << 20;
    private static final IoConfig IO = IoConfig.builder().backend(PageIOBackend.POSIX).useDirectIo(false).build();
    private Path dir;
    private Path file;
    private PageIO io;

    @BeforeEach
    void setUp() throws IOException {
        dir = TestDirs.fresh("file-growth");
        file = dir.resolve("pages");
        io = PageIOs.open(file, PAGE, IO);
    }

    @AfterEach
    void tearDown() throws IOException {
        io.close();
        TestDirs.deleteTree(dir);
    }

    @Test
    void writesPastTheEndGrowTheFileByAnEighthOfItsSizeBetweenOneAnd64MiB() throws IOException {
        FileGrowth g = new FileGrowth();
        g.cover(5L * PAGE, io);
        assertEquals(MIB, Files.size(file), "an empty file grows by the minimum step");
        g.cover(MIB, io);
        assertEquals(MIB, Files.size(file), "writes inside the grown part grow nothing");
        g.cover(MIB + PAGE, io);
        assertEquals(2 * MIB, Files.size(file));

        io.preallocate(0, 64 * MIB);
        FileGrowth h = new FileGrowth();
        h.cover(64 * MIB + PAGE, io);
        assertEquals(72 * MIB, Files.size(file), "an eighth of 64 MiB");
        h.cover(200 * MIB, io);
        assertEquals(200 * MIB, Files.size(file), "a write past the whole step: grown to the write's end");
        h.cover(200 * MIB + 1, io);
        assertEquals(225 * MIB, Files.size(file), "an eighth of 200 MiB");
        io.preallocate(0, 1024 * MIB);
        FileGrowth big = new FileGrowth();
        big.cover(1024 * MIB + PAGE, io);
        assertEquals(1088 * MIB, Files.size(file), "never more than 64 MiB at once");
    }

    @Test
    void closeCutsTheFileAfterItsHighestSlotInUseOnlyWhenThisHandleWroteIt() throws IOException {
        io.preallocate(0, 10L * PAGE);
        try (PageTable t = new PageTable(file, 64, 128, 16)) {
            t.closeTail(io);
            assertEquals(10L * PAGE, Files.size(file), "a handle that never wrote leaves the file alone (a failed open)");

            int[] got = new int[1];
            long first = t.allocate(4, got);
            assertEquals(PageTable.FIRST_DATA_SLOT, first);
            assertEquals(4, got[0]);
            t.coverWrites(first + got[0], io);
            t.closeTail(io);
            assertEquals(6L * PAGE, Files.size(file), "cut after the highest slot in use (5)");
        }
        try (PageTable t = new PageTable(file, 64, 128, 16)) {
            int[] got = new int[1];
            t.allocate(12, got);
            t.coverWrites(PageTable.FIRST_DATA_SLOT + 12, io);
            assertEquals(6L * PAGE + MIB, Files.size(file), "grown by a step past the file's end");
            t.closeTail(io);
            assertEquals(14L * PAGE, Files.size(file), "cut after the highest slot in use (13), the preallocation gone");
        }
    }

    @Test
    void aFailedPreallocationLeavesTheWritesToExtendTheFile() throws IOException {
        PageIO refusing = (PageIO) Proxy.newProxyInstance(PageIO.class.getClassLoader(), new Class<?>[] {PageIO.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("preallocate")) {
                        throw new IOException("No space left on device");
                    }
                    try {
                        return m.invoke(io, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        FileGrowth g = new FileGrowth();
        g.cover(3L * PAGE, refusing);
        assertEquals(0, Files.size(file), "nothing grown, and no error: the write reports its own");
        g.cover(3L * PAGE, io);
        assertEquals(MIB, Files.size(file), "tried again on the next write");
    }
}
