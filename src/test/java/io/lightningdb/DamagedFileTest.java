package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.cache.PageFrames;
import io.lightningdb.io.IoConfig;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.PageTypes;
import io.lightningdb.pagefile.Superblock;
import io.lightningdb.testing.LogCapture;
import io.lightningdb.testing.TestDirs;
import static io.lightningdb.testing.TestBytes.bytes;
import static io.lightningdb.testing.TestBytes.filled;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Damaged data files (flipped bytes, truncation, a foreign, damaged or inconsistent superblock):
 * each is a {@link CorruptDatabaseException} naming the file and offset, or, for a damaged
 * superblock copy beside a sound one, an open from the sound copy (said in the log), never a crash
 * and never a changed file.
 */
class DamagedFileTest {
    private static final int PAGE = 4096;
    private static final int MAX_KEY = 1024;
    private final Path dir = TestDirs.fresh("damaged");
    private final Path file = dir.resolve(Database.FILE_NAME);

    @AfterEach
    void cleanUp() throws IOException {
        TestDirs.deleteTree(dir);
    }


    private static int count(Database db) {
        return count(db, false);
    }

    private static int countReverse(Database db) {
        return count(db, true);
    }

    private static int count(Database db, boolean reverse) {
        int n = 0;
        try (Cursor c = reverse ? db.scanReverse(null, null) : db.scan(null, null)) {
            while (c.next()) {
                n++;
            }
        }
        return n;
    }

    private void createTree(int keys) {
        try (Database db = Database.open(dir, LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).build())) {
            for (int i = 0; i < keys; i++) {
                db.put(bytes(String.format("key%06d", i)), filled(100, i));
            }
        }
    }

    private void xorByte(long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
        }
    }

    /** File offset of page {@code pid}, from the page table of the last checkpoint. */
    private long offsetOf(long pid) throws IOException {
        long maxPages = LightningDbConfig.defaults().maxDatabaseSize() / PAGE;
        try (PageFile f = PageFile.open(file, IoConfig.defaults(), maxPages, 1L << 20)) {
            return f.slotOf(pid) * PAGE;
        }
    }

    /** The first page id after {@code from} whose page in the file has the given type. */
    private long findPage(byte type, long from) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long pages;
        long maxPages = LightningDbConfig.defaults().maxDatabaseSize() / PAGE;
        try (PageFile f = PageFile.open(file, IoConfig.defaults(), maxPages, 1L << 20)) {
            pages = f.pageCount();
            for (long pid = from + 1; pid < pages; pid++) {
                long slot = f.slotOf(pid);
                if (slot != 0 && all[(int) (slot * PAGE + PageTypes.TYPE_OFFSET)] == type) {
                    return pid;
                }
            }
        }
        throw new AssertionError("no page of type " + type + " among " + pages);
    }

    @Test
    void aFlippedByteInANodePageIsCorruptNamingFileAndOffsetAndOtherLeavesStillRead() throws IOException {
        createTree(3000);
        long leaf = findPage(PageTypes.LEAF, 0);
        long at = offsetOf(leaf);
        xorByte(at + 1000);
        String where = file + ": page " + leaf + " at offset " + at + " is corrupt: stored CRC32C 0x";
        try (Database db = Database.open(dir)) {
            int ok = 0;
            int corrupt = 0;
            for (int i = 0; i < 3000; i++) {
                try {
                    assertArrayEquals(filled(100, i), db.get(bytes(String.format("key%06d", i))));
                    ok++;
                } catch (CorruptDatabaseException e) {
                    assertTrue(e.getMessage().startsWith(where), e.getMessage());
                    corrupt++;
                }
            }
            assertTrue(ok > 2000 && corrupt > 0, ok + " keys read, " + corrupt + " in the damaged leaf");
            CorruptDatabaseException scan = assertThrows(CorruptDatabaseException.class, () -> count(db));
            assertTrue(scan.getMessage().startsWith(where), scan.getMessage());
        }
    }

    @Test
    void aFlippedByteInTheRootOrAnOverflowPageIsCorrupt() throws IOException {
        try (Database db = Database.open(dir)) {
            db.put(bytes("big"), filled(20_000, 1));
            db.put(bytes("small"), bytes("v"));
        }
        long overflow = findPage(PageTypes.OVERFLOW, 0);
        long at = offsetOf(overflow);
        xorByte(at + 2000);
        try (Database db = Database.open(dir)) {
            assertArrayEquals(bytes("v"), db.get(bytes("small")));
            CorruptDatabaseException e = assertThrows(CorruptDatabaseException.class, () -> db.get(bytes("big")));
            assertTrue(e.getMessage().startsWith(file + ": page " + overflow + " at offset " + at + " is corrupt"),
                    e.getMessage());
        }
        long root = Superblock.read(file).rootPage();
        long rootAt = offsetOf(root);
        xorByte(rootAt + PageTypes.TYPE_OFFSET + 2);
        // The root is checked against the superblock at open, so the damage shows there.
        CorruptDatabaseException e = assertThrows(CorruptDatabaseException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().startsWith(file + ": page " + root + " at offset " + rootAt + " is corrupt"),
                e.getMessage());
    }

    private void assertOpenFails(String message) throws IOException {
        byte[] before = Files.readAllBytes(file);
        CorruptDatabaseException e = assertThrows(CorruptDatabaseException.class, () -> Database.open(dir));
        assertTrue(e.getMessage().startsWith(file + " at offset " + message), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "a refused open leaves the file as it was");
    }

    @Test
    void truncatedFilesAreCorruptNamingTheOffset() throws IOException {
        createTree(3000);
        long size = Files.size(file);
        long half = size / 2 / PAGE * PAGE;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(half);
        }
        assertOpenFails(half + ": truncated: the checkpoint uses slot ");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        assertOpenFails("100: truncated superblock: the file has 100 bytes, a superblock needs 128");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        assertOpenFails("0: truncated superblock: the file has 0 bytes, a superblock needs 128");
    }

    @Test
    void aForeignFileIsNotADatabase() throws IOException {
        createTree(10);
        assertEquals("LIGHTNDB", new String(Files.readAllBytes(file), 0, 8, StandardCharsets.US_ASCII), "the magic on disk");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes("SQLite f")), Superblock.MAGIC_OFFSET);
            ch.write(ByteBuffer.wrap(bytes("SQLite f")), PAGE + Superblock.MAGIC_OFFSET);
        }
        assertOpenFails("0: not a Lightning DB file: expected magic \"LIGHTNDB\", found 0x53514c6974652066");
    }

    @Test
    void aNewerFormatVersionIsRefusedNotSkipped() throws IOException {
        Superblock good = createFreshTree();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer v = ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, Superblock.FORMAT_VERSION + 1);
            ch.write(v, good.fileOffset() + Superblock.VERSION_OFFSET);
        }
        assertOpenFails(good.fileOffset() + Superblock.VERSION_OFFSET + ": format version " + (Superblock.FORMAT_VERSION + 1)
                + " is newer than this build reads (" + Superblock.FORMAT_VERSION + ")");
    }

    @Test
    void aDamagedNewestSuperblockOpensFromTheOtherCopyWithEveryKey() throws IOException {
        Superblock good = createFreshTree();
        xorByte(good.fileOffset() + Superblock.KEY_COUNT_OFFSET);
        try (LogCapture log = new LogCapture("io.lightningdb"); Database db = Database.open(dir)) {
            assertTrue(log.contains("superblock copy at offset " + good.fileOffset() + " is damaged"), log.messages().toString());
            assertEquals(10, count(db), "the older copy plus the log give every key");
            assertTrue(db.verify().isEmpty(), db.verify().toString());
        }
        // Both copies damaged: nothing to open from, and the first copy's problem is named.
        xorByte(Superblock.KEY_COUNT_OFFSET);
        xorByte(PAGE + Superblock.KEY_COUNT_OFFSET);
        assertOpenFails(Superblock.CRC_OFFSET + ": superblock checksum mismatch");
    }

    @Test
    void aWellFormedSuperblockThatContradictsTheFileIsCorruptNamingTheField() throws IOException {
        Superblock good = createFreshTree();
        long base = good.fileOffset();
        writeSuperblock(with(good, good.pidCount() + 5, good.treeHeight(), MAX_KEY));
        CorruptDatabaseException root = assertThrows(CorruptDatabaseException.class, () -> Database.open(dir));
        assertTrue(root.getMessage().startsWith(file + " at offset " + (base + Superblock.ROOT_OFFSET)
                + ": superblock names root page"), root.getMessage());
        // A height the root page contradicts (a root split would otherwise wait forever for the level).
        writeSuperblock(with(good, good.rootPage(), good.treeHeight() + 1, MAX_KEY));
        assertOpenFails((base + Superblock.HEIGHT_OFFSET) + ": superblock says tree height " + (good.treeHeight() + 1)
                + ", but its root page " + good.rootPage() + " has type " + PageTypes.LEAF + " and level 0");
        for (int badLimit : new int[] {0, PAGE / 4 + 1}) {
            writeSuperblock(with(good, good.rootPage(), good.treeHeight(), badLimit));
            // That copy fails its own checks, so the other (older) copy would open: damage it too.
            xorByte(PAGE - base + Superblock.KEY_COUNT_OFFSET);
            CorruptDatabaseException e = assertThrows(CorruptDatabaseException.class, () -> Database.open(dir));
            assertTrue(e.getMessage().contains("at offset " + (base + Superblock.MAX_KEY_SIZE_OFFSET) + ": maxKeySize "
                    + badLimit + " is outside [1, 1024] (a quarter of the page size 4096)"), e.getMessage());
            xorByte(PAGE - base + Superblock.KEY_COUNT_OFFSET);
        }
    }

    private static Superblock with(Superblock s, long root, int height, int maxKeySize) {
        return new Superblock(s.pageSize(), s.sequence(), s.checkpointLsn(), root, height, s.keyCount(), maxKeySize,
                s.pidCount(), s.slotCount(), s.tableHead(), s.tableChunks(), s.liveBytes());
    }

    private Superblock createFreshTree() throws IOException {
        TestDirs.deleteTree(dir);
        createTree(10);
        return Superblock.read(file);
    }

    /** A node's right link and an inner node's leftmost child: u64 page ids at these offsets (docs/file-format.md, NodeLayout). */
    private static final int RIGHT_LINK_OFFSET = 16;
    private static final int LEFTMOST_CHILD_OFFSET = 24;
    /** A page id past any file's pages (maxDatabaseSize / pageSize is at most 2^34). */
    private static final long FAR_PAGE = 1L << 40;

    /** Sets the u64 at {@code offset} of page {@code pid} and seals the page again, so only the link is wrong. */
    private void setLinkResealed(long pid, int offset, long value) throws IOException {
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment page = arena.allocate(PAGE);
            long at = offsetOf(pid);
            ch.read(page.asByteBuffer(), at);
            page.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value);
            PageFrames.seal(page);
            ch.write(page.asByteBuffer(), at);
        }
    }

    @Test
    void aDamagedRightLinkIsCorruptNamingThePageWhileReverseScansAndGetsThatNeedNoLinkStillRead() throws IOException {
        createTree(3000);
        long leaf = findPage(PageTypes.LEAF, 0);
        setLinkResealed(leaf, RIGHT_LINK_OFFSET, FAR_PAGE);
        String link = "page " + leaf + " links to page " + FAR_PAGE;
        try (Database db = Database.open(dir)) {
            CorruptDatabaseException forward = assertThrows(CorruptDatabaseException.class, () -> count(db));
            assertTrue(forward.getMessage().contains(link), forward.getMessage());
            // Reverse scans and point reads descend from the root and never follow a leaf's right link.
            assertEquals(3000, countReverse(db));
            for (int i = 0; i < 3000; i += 7) {
                assertArrayEquals(filled(100, i), db.get(bytes(String.format("key%06d", i))));
            }
            assertTrue(db.verify().stream().anyMatch(p -> p.contains(Long.toString(leaf))), db.verify().toString());
        }
    }

    @Test
    void aDamagedChildPointerIsCorruptNamingThePageForwardInReverseAndForAGet() throws IOException {
        createTree(3000);
        Superblock sb = Superblock.read(file);
        assertTrue(sb.treeHeight() >= 2, "3,000 keys of 100 bytes need an inner node: height " + sb.treeHeight());
        long root = sb.rootPage();
        setLinkResealed(root, LEFTMOST_CHILD_OFFSET, FAR_PAGE);
        String link = "page " + root + " links to page " + FAR_PAGE;
        try (Database db = Database.open(dir)) {
            CorruptDatabaseException forward = assertThrows(CorruptDatabaseException.class, () -> count(db));
            assertTrue(forward.getMessage().contains(link), forward.getMessage());
            CorruptDatabaseException reverse = assertThrows(CorruptDatabaseException.class, () -> countReverse(db));
            assertTrue(reverse.getMessage().contains(link), reverse.getMessage());
            CorruptDatabaseException get = assertThrows(CorruptDatabaseException.class,
                    () -> db.get(bytes("key000000")));
            assertTrue(get.getMessage().contains(link), get.getMessage());
            // Keys under the other children are still found.
            assertArrayEquals(filled(100, 2999), db.get(bytes("key002999")));
        }
    }

    private void writeSuperblock(Superblock sb) throws IOException {
        try (Arena arena = Arena.ofConfined(); FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            MemorySegment page = arena.allocate(Superblock.SIZE);
            sb.encode(page);
            ch.write(page.asByteBuffer(), sb.fileOffset());
        }
    }
}
