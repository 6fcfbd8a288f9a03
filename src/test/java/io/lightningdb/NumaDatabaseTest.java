package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lightningdb.engine.BackgroundThreads;
import io.lightningdb.engine.ThreadPinning;
import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.nativeio.NumaTestSupport;
import io.lightningdb.testing.ChildJvm;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An open database applies its NUMA knobs and says so: the frame reservation's policy (seen in
 * /proc/self/numa_maps, the kernel's own listing), the background threads' affinity (read back
 * inside each), nodes the machine lacks refused before anything is created, and without libnuma
 * a logged no-op that {@code capabilities()} reports.
 */
class NumaDatabaseTest {
    private static final LightningDbConfig SMALL = LightningDbConfig.builder().cacheSize(4L << 20)
            .maxDatabaseSize(64L << 20).walSegmentSize(1L << 20).build();

    @Test
    void interleavedFramesShowInTheKernelsMapsAndInCapabilities() throws IOException {
        NumaTestSupport.requireSystemNuma();
        long before = interleavedMappings();
        LightningDbConfig config = SMALL.toBuilder().enableNumaAwareness(true)
                .memoryAllocator(MemoryAllocator.NUMA_INTERLEAVE).build();
        try (Database db = Database.open(TestDirs.fresh("numa-interleave"), config)) {
            for (int i = 0; i < 1000; i++) {
                db.put(("k" + i).getBytes(StandardCharsets.UTF_8), new byte[100]);
            }
            assertEquals(before + 1, interleavedMappings(), "the frame reservation is one interleaved mapping");
            Capabilities.Feature numa = db.capabilities().numa();
            assertTrue(numa.available(), numa.detail());
            assertTrue(numa.detail().contains("NUMA_INTERLEAVE") && numa.detail().contains("mbind(MPOL_INTERLEAVE"),
                    numa.detail());
        }
        assertEquals(before, interleavedMappings(), "closing unmaps the reservation");
    }

    @Test
    void theDefaultsPlaceNothingAndSayWhy() {
        try (Database db = Database.open(TestDirs.fresh("numa-off"), SMALL)) {
            Capabilities.Feature numa = db.capabilities().numa();
            assertFalse(numa.available(), numa.detail());
            assertTrue(numa.detail().contains("enableNumaAwareness=false") && numa.detail().contains("pinThreads=false"),
                    numa.detail());
        }
    }

    @Test
    void pinnedBackgroundThreadsRunOnTheirNodesCpus() throws Exception {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        BitSet node0 = numa.cpusOfNode(0);
        node0.and(ThreadPinning.currentCpus());
        assumeTrue(node0.cardinality() >= 2, "node 0 needs two allowed CPUs to tell pinned from inherited: " + node0);
        LightningDbConfig config = SMALL.toBuilder().walSyncMode(WalSyncMode.ASYNC).pinThreads(true).build();
        // Narrowed to one CPU, the opening thread would hand that mask to every thread it starts.
        try (ThreadPinning.Pin narrow = ThreadPinning.pinToCpu(node0.length() - 1);
                Database db = Database.open(TestDirs.fresh("numa-pinned"), config)) {
            fillHalfTheFirstLogSegment(db);
            List<BackgroundThreads.Started> started = awaitStarted(db, 3);
            List<String> names = new ArrayList<>();
            for (BackgroundThreads.Started s : started) {
                names.add(s.name());
                assertEquals(0, s.node(), s.toString());
                assertEquals(node0, s.cpus(), s.toString());
            }
            assertTrue(names.contains("lightning-wal-flusher") && names.contains("lightning-wal-prealloc"), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("lightning-checkpoint ")), names.toString());
            assertTrue(db.capabilities().numa().detail().contains("background threads pinned"),
                    db.capabilities().numa().detail());
        }
    }

    @Test
    void unpinnedBackgroundThreadsInheritTheOpenersMask() throws Exception {
        NumaTestSupport.requireSystemNuma();
        BitSet allowed = ThreadPinning.currentCpus();
        LightningDbConfig config = SMALL.toBuilder().walSyncMode(WalSyncMode.ASYNC).build();
        try (ThreadPinning.Pin narrow = ThreadPinning.pinToCpu(allowed.length() - 1);
                Database db = Database.open(TestDirs.fresh("numa-unpinned"), config)) {
            fillHalfTheFirstLogSegment(db);
            for (BackgroundThreads.Started s : awaitStarted(db, 3)) {
                assertEquals(-1, s.node(), s.toString());
                assertEquals(narrow.cpus(), s.cpus(), s.toString());
            }
        }
    }

    @Test
    void aNodeTheMachineLacksIsRefusedAtOpenBeforeAnythingIsCreated() {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        int missing = numa.maxNode() + 1;
        Path dir = TestDirs.fresh("numa-missing");
        LightningDbConfig placed = SMALL.toBuilder().enableNumaAwareness(true).numaNodes(0, missing).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Database.open(dir, placed));
        assertTrue(e.getMessage().startsWith("numaNodes names node " + missing + ", but this machine has "
                + numa.nodeCount() + " NUMA node"), e.getMessage());
        LightningDbConfig pinned = SMALL.toBuilder().pinThreads(true).numaNodes(missing).build();
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> Database.open(dir, pinned));
        assertTrue(p.getMessage().startsWith("numaNodes names node " + missing + " for pinThreads"), p.getMessage());
        assertFalse(Files.exists(dir.resolve(Database.FILE_NAME)), "a refused open creates no database");
    }

    @Test
    void withoutLibnumaTheKnobsAreLoggedNoOpsAndCapabilitiesSaysSo() throws Exception {
        List<String> cmd = ChildJvm.command(NumaAbsentChild.class, TestDirs.fresh("numa-absent").toString());
        cmd.add(1, "-Dlightning.native.disable=libnuma");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("NUMA placement NUMA_LOCAL not applied: disabled by -Dlightning.native.disable=libnuma"), out);
        assertTrue(out.contains("pinThreads not applied: disabled by -Dlightning.native.disable=libnuma"), out);
        assertTrue(out.contains("NUMA       no   frames: not placed, NUMA_LOCAL is a no-op"), out);
        assertTrue(out.contains("background threads not pinned, a no-op"), out);
        assertTrue(out.contains("put-get ok"), out);
    }

    /** The segment preallocator starts once the log's first (1 MiB) segment is half full. */
    private static void fillHalfTheFirstLogSegment(Database db) {
        byte[] value = new byte[1000];
        for (int i = 0; i < 700; i++) {
            db.put(("k" + i).getBytes(StandardCharsets.UTF_8), value);
        }
    }

    private static List<BackgroundThreads.Started> awaitStarted(Database db, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (db.backgroundThreads().started().size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        List<BackgroundThreads.Started> started = db.backgroundThreads().started();
        assertTrue(started.size() >= n, started.toString());
        return started;
    }

    /** Mappings of this process whose policy is interleave, as /proc/self/numa_maps lists them. */
    private static long interleavedMappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/numa_maps"))) {
            return lines.filter(l -> l.contains(" interleave:")).count();
        }
    }
}
