package io.lightningdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WalFailureTest {
    private static final long SEG = 64 << 10;
    private static final MemorySegment ONE = MemorySegment.ofArray(new byte[] {42});
    private Path dir;

    @BeforeEach
    void setUp() {
        dir = TestDirs.fresh("wal-failure");
    }

    @AfterEach
    void tearDown() throws IOException {
        TestDirs.deleteTree(dir);
    }

    /** The default operations, except that fdatasync fails while {@code failForce} is set. */
    private static WalFileOps failingForce(AtomicBoolean failForce) {
        return new WalFileOps() {
            @Override
            public WalFile open(Path path, boolean directory) throws IOException {
                WalFile f = WalFileOps.DEFAULT.open(path, directory);
                return new WalFile() {
                    public Path path() {
                        return f.path();
                    }

                    public void write(MemorySegment src, long position) throws IOException {
                        f.write(src, position);
                    }

                    public void force() throws IOException {
                        if (failForce.get()) {
                            throw new IOException("Input/output error");
                        }
                        f.force();
                    }

                    public void close() throws IOException {
                        f.close();
                    }
                };
            }

            @Override
            public void preallocate(Path file, long size) throws IOException {
                WalFileOps.DEFAULT.preallocate(file, size);
            }
        };
    }

    @Test
    void failedFsyncFailsTheWalForGood() throws IOException {
        AtomicBoolean failForce = new AtomicBoolean();
        long good;
        Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.SYNC, SEG), 0, failingForce(failForce));
        try {
            good = wal.append((byte) 1, ONE, null);
            wal.awaitDurable(good);
            failForce.set(true);
            long lost = wal.append((byte) 1, ONE, null);
            WalFailedException now = assertThrows(WalFailedException.class, () -> wal.awaitDurable(lost));
            assertTrue(now.getMessage().contains("fdatasync of " + dir.resolve(WalFormat.segmentName(0))), now.getMessage());
            assertTrue(now.getMessage().contains("reopen the database"), now.getMessage());
            failForce.set(false); // a working disk again does not matter: the WAL never retries
            assertEquals(good, wal.durableLsn());
            assertThrows(WalFailedException.class, () -> wal.append((byte) 1, ONE, null));
            assertThrows(WalFailedException.class, () -> wal.awaitDurable(lost));
            assertThrows(WalFailedException.class, wal::sync);
            assertThrows(WalFailedException.class, () -> wal.awaitDurable(good));
        } finally {
            assertThrows(WalFailedException.class, wal::close);
        }
        WalRecovery[] rec = new WalRecovery[1];
        List<WalTestLog.Rec> read = WalTestLog.readAll(dir, 0, rec);
        assertTrue(read.size() >= 1 && read.getFirst().end() == good, "the durable record survives: " + read);
    }

    @Test
    void noSpaceForTheNextSegmentFailsOnlyThatAppend() throws IOException {
        SplittableRandom rnd = Seeds.random("noSpaceForTheNextSegmentFailsOnlyThatAppend");
        AtomicBoolean noSpace = new AtomicBoolean(true);
        AtomicInteger allowed = new AtomicInteger(1); // the segment opened first
        WalFileOps ops = new WalFileOps() {
            @Override
            public WalFile open(Path path, boolean directory) throws IOException {
                return WalFileOps.DEFAULT.open(path, directory);
            }

            @Override
            public void preallocate(Path file, long size) throws IOException {
                if (noSpace.get() && allowed.getAndDecrement() <= 0) {
                    throw new IOException("No space left on device");
                }
                WalFileOps.DEFAULT.preallocate(file, size);
            }
        };
        List<WalTestLog.Rec> expected = new ArrayList<>();
        try (Wal wal = Wal.open(dir, WalTestLog.config(SyncMode.BATCH, SEG), 0, ops)) {
            WalTestLog.Rec refused = null;
            while (refused == null) {
                WalTestLog.Rec r = WalTestLog.randomRecord(rnd, 3000);
                long before = wal.endLsn();
                long appends = wal.stats().appends();
                try {
                    expected.add(WalTestLog.append(wal, r));
                    wal.awaitDurable(wal.endLsn());
                } catch (IOException e) {
                    assertTrue(e.getMessage().contains("no space"), e.getMessage());
                    assertTrue(e.getMessage().contains(WalFormat.segmentName(before)), e.getMessage());
                    assertEquals(before, wal.endLsn(), "nothing appended");
                    assertEquals(appends, wal.stats().appends());
                    refused = r;
                }
            }
            assertEquals(1, wal.stats().segmentsLive());
            wal.sync(); // not failed
            noSpace.set(false); // space freed
            expected.add(WalTestLog.append(wal, refused));
            expected.addAll(WalTestLog.appendRandom(wal, rnd, 40, 3000));
            wal.awaitDurable(wal.endLsn());
            assertTrue(wal.stats().segmentsLive() >= 2);
        }
        WalRecovery[] rec = new WalRecovery[1];
        WalTestLog.assertSame(expected, WalTestLog.readAll(dir, 0, rec));
        assertEquals(false, rec[0].cut());
    }
}
