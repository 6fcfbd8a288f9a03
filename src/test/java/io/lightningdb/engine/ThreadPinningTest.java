package io.lightningdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lightningdb.nativeio.LibNuma;
import io.lightningdb.nativeio.Libc;
import io.lightningdb.nativeio.NumaTestSupport;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThreadPinningTest {
    private static final int ABSENT_CPU = Libc.CPU_SETSIZE - 1;

    @BeforeEach
    void requireSupport() {
        assumeTrue(ThreadPinning.isSupported(), "thread pinning needs Linux: " + Libc.unavailableReason());
    }

    @Test
    void pinningToCpuZeroRunsTheThreadThereAndCloseRestoresTheMask() {
        BitSet before = ThreadPinning.currentCpus();
        assumeTrue(before.get(0), "CPU 0 is outside this process's cpuset " + before);
        try (ThreadPinning.Pin pin = ThreadPinning.pinToCpu(0)) {
            Thread.yield();
            assertEquals(0, Libc.schedGetcpu());
            BitSet zero = new BitSet();
            zero.set(0);
            assertEquals(zero, ThreadPinning.currentCpus());
            assertEquals(zero, pin.cpus());
            assertEquals(before, pin.previousCpus());
        }
        assertEquals(before, ThreadPinning.currentCpus());
    }

    @Test
    void aCpuThatDoesNotExistFailsNamingTheCpuAndChangesNothing() {
        BitSet before = ThreadPinning.currentCpus();
        assumeTrue(!before.get(ABSENT_CPU));
        ThreadPinningException e = assertThrows(ThreadPinningException.class, () -> ThreadPinning.pinToCpu(ABSENT_CPU));
        assertTrue(e.getMessage().contains("CPU " + ABSENT_CPU), e.getMessage());
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
        assertTrue(e.cpus().get(ABSENT_CPU));
        assertEquals(before, ThreadPinning.currentCpus());

        IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> ThreadPinning.pinToCpu(-1));
        assertTrue(range.getMessage().contains("got -1"), range.getMessage());
    }

    @Test
    void pinningToNodeZeroUsesTheNodesCpus() {
        LibNuma numa = NumaTestSupport.requireSystemNuma();
        BitSet before = ThreadPinning.currentCpus();
        BitSet nodeCpus = numa.cpusOfNode(0);
        assumeTrue(before.equals(nodeCpus) || containsAll(before, nodeCpus), "cpuset " + before + " excludes node 0 CPUs");
        try (ThreadPinning.Pin pin = ThreadPinning.pinToNode(numa, 0)) {
            assertEquals(nodeCpus, ThreadPinning.currentCpus());
            assertEquals(nodeCpus, pin.cpus());
            assertEquals(0, numa.currentNode());
        }
        assertEquals(before, ThreadPinning.currentCpus());
    }

    @Test
    void pinningToANodeWithoutLibnumaSaysWhy() {
        LibNuma absent = LibNuma.load("libnuma-does-not-exist.so.1");
        ThreadPinningException e = assertThrows(ThreadPinningException.class, () -> ThreadPinning.pinToNode(absent, 0));
        assertTrue(e.getMessage().contains("libnuma is unavailable"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install libnuma1"), e.getMessage());
    }

    @Test
    void onlyThePinnedThreadCanRestoreAndCloseIsIdempotent() throws Exception {
        BitSet before = ThreadPinning.currentCpus();
        int cpu = before.nextSetBit(0);
        ThreadPinning.Pin pin = ThreadPinning.pinToCpu(cpu);
        try {
            AtomicReference<Throwable> other = new AtomicReference<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    pin.close();
                } catch (Throwable e) {
                    other.set(e);
                }
            });
            t.join();
            assertTrue(other.get() instanceof IllegalStateException, String.valueOf(other.get()));
        } finally {
            pin.close();
            pin.close();
        }
        assertEquals(before, ThreadPinning.currentCpus());
    }

    @Test
    void virtualThreadsAreNotPinned() throws Exception {
        CompletableFuture<Throwable> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                ThreadPinning.pinToCpu(0).close();
                result.complete(null);
            } catch (Throwable e) {
                result.complete(e);
            }
        });
        Throwable e = result.get();
        assertTrue(e instanceof ThreadPinningException, String.valueOf(e));
        assertTrue(e.getMessage().contains("virtual thread"), e.getMessage());
    }

    private static boolean containsAll(BitSet set, BitSet subset) {
        BitSet missing = (BitSet) subset.clone();
        missing.andNot(set);
        return missing.isEmpty();
    }
}
