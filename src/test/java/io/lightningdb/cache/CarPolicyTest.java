package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** ARC (CAR) moves its target size of T1 towards recency or frequency as the trace asks. */
class CarPolicyTest {
    @Test
    void targetFollowsRecencyThenFrequency() throws Exception {
        try (PoolFixture f = PoolFixture.create(new CacheConfig(PolicyKind.ARC, true, false, 1000, 0.3), 64, 3000)) {
            CarPolicy car = (CarPolicy) f.pool.policy();
            long start = car.target();
            // 48 pages read three times: they are T2 material.
            for (int round = 0; round < 3; round++) {
                for (int pid = 200; pid < 248; pid++) {
                    f.read(pid);
                }
            }
            // Recency: a loop over 40 other pages. T1 (target 0) is too small for it: its pages come
            // back from B1, and each such hit raises p.
            for (int round = 0; round < 15; round++) {
                for (int pid = 0; pid < 40; pid++) {
                    f.read(pid);
                }
            }
            long afterRecency = car.target();
            // Frequency: the 48 pages again and again, between them pages read once. The 48 were
            // pushed out of T2 meanwhile and come back from B2, each hit lowering p.
            int once = 1000;
            for (int round = 0; round < 20; round++) {
                for (int pid = 200; pid < 248; pid++) {
                    f.read(pid);
                    f.read(once++);
                }
            }
            long afterFrequency = car.target();
            System.out.println("ARC target size of T1: " + start + " -> " + afterRecency + " (recency) -> "
                    + afterFrequency + " (frequency), capacity 64");
            assertTrue(afterRecency >= start + 16, "B1 hits must raise p: " + start + " -> " + afterRecency);
            assertTrue(afterFrequency <= afterRecency - 16, "B2 hits must lower p: " + afterRecency + " -> " + afterFrequency);
            int frequentCached = 0;
            for (int pid = 200; pid < 248; pid++) {
                frequentCached += f.pool.isResident(pid) ? 1 : 0;
            }
            // Each comes back after 96 accesses, beyond LRU's reach in a 64-page cache (it would keep
            // none); holding half or more of them is frequency at work.
            assertTrue(frequentCached >= 24, "frequent pages cached: " + frequentCached + " of 48");
        }
    }
}
