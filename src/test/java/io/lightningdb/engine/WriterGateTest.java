package io.lightningdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The gate's admission rules, each shown with threads parked where the rule says they wait. */
class WriterGateTest {
    /** Starts {@code body} in a thread and returns once it has run or parked. */
    private static Thread start(Runnable body) throws InterruptedException {
        Thread t = Thread.ofPlatform().daemon().start(body);
        for (int i = 0; i < 2000 && t.isAlive() && t.getState() != Thread.State.WAITING; i++) {
            Thread.sleep(1);
        }
        return t;
    }

    @Test
    void plainWritersShareUpToTheLimitAndTheNextQueues() throws Exception {
        WriterGate gate = new WriterGate(2);
        gate.enterShared();
        gate.enterShared();
        assertEquals(2, gate.sharedInside());
        AtomicBoolean third = new AtomicBoolean();
        Thread t = start(() -> {
            gate.enterShared();
            third.set(true);
        });
        assertEquals(Thread.State.WAITING, t.getState(), "a third plain writer waits at a limit of 2");
        assertFalse(third.get());
        gate.exitShared();
        t.join(5000);
        assertTrue(third.get(), "it enters once one leaves");
        assertEquals(2, gate.peakShared());
    }

    @Test
    void anExclusiveWriterWaitsForPlainOnesAndHoldsBackThoseBehindIt() throws Exception {
        WriterGate gate = new WriterGate(8);
        gate.enterShared();
        CountDownLatch alone = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread ex = start(() -> {
            gate.enterExclusive();
            alone.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            gate.exitExclusive();
        });
        assertEquals(Thread.State.WAITING, ex.getState(), "exclusive waits while a plain writer is inside");
        AtomicBoolean late = new AtomicBoolean();
        Thread plain = start(() -> {
            gate.enterShared();
            late.set(true);
            gate.exitShared();
        });
        assertEquals(Thread.State.WAITING, plain.getState(), "a plain writer queues behind the waiting exclusive one");
        gate.exitShared();
        assertTrue(alone.await(5, TimeUnit.SECONDS), "exclusive enters when the plain writer leaves");
        assertFalse(late.get(), "the late plain writer is still held back");
        release.countDown();
        plain.join(5000);
        assertTrue(late.get());
    }

    @Test
    void drainWaitsOnlyForWritersInside() throws Exception {
        WriterGate gate = new WriterGate(8);
        gate.drainShared(); // nobody inside: returns at once
        gate.enterShared();
        AtomicBoolean drained = new AtomicBoolean();
        Thread t = start(() -> {
            gate.drainShared();
            drained.set(true);
        });
        assertFalse(drained.get(), "drain waits for the writer inside");
        gate.exitShared();
        t.join(5000);
        assertTrue(drained.get());
        assertEquals(0, gate.sharedInside());
    }

    @Test
    void limitBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WriterGate(0));
        assertTrue(e.getMessage().contains("maxConcurrentWriters"), e.getMessage());
    }
}
