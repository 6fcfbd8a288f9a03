package io.lightningdb.engine;

import io.lightningdb.nativeio.LibNuma;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

/** The examples in the engine's Javadoc, regions of compiled code (they pin threads: compiled, not run). */
final class EngineExamples {
    private EngineExamples() {}

    private static final System.Logger LOG = System.getLogger("io.lightningdb.engine");

    static List<BackgroundThreads.Started> backgroundThreads(BitSet nodes, Path dir, Runnable loop) {
        // @start region="backgroundThreads"
        BackgroundThreads pool = BackgroundThreads.pinned(nodes, 2, LibNuma.system());  // or unpinned()
        Thread t = pool.newThread(loop);
        t.setName("lightning-checkpoint " + dir);
        t.start();                                // pins itself first, then runs loop
        List<BackgroundThreads.Started> started = pool.started();  // each thread's node and CPUs, read back inside it
        // @end
        return started;
    }

    static void pinning(Runnable runWorkerLoop) {
        // @start region="pinning"
        try (ThreadPinning.Pin pin = ThreadPinning.pinToNode(LibNuma.system(), 0)) {
            runWorkerLoop.run();          // stays on node 0's CPUs, next to memory placed there
        } catch (ThreadPinningException e) {
            LOG.log(Level.WARNING, "running unpinned: " + e.getMessage());
            runWorkerLoop.run();
        }
        // @end
    }
}
