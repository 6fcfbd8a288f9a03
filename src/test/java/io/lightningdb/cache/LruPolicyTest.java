package io.lightningdb.cache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * LRU on a cache of 16 pages, where the sample is the whole cache and a tick passes per
 * admission: the victim must be exactly the least recently used page.
 */
class LruPolicyTest {
    @Test
    void evictsTheLeastRecentlyUsedPage() throws Exception {
        try (PoolFixture f = PoolFixture.create(new CacheConfig(PolicyKind.LRU, false, false, 1000, 0.3), 16, 40)) {
            for (int pid = 0; pid < 16; pid++) {
                f.read(pid);
            }
            // Touch page 2i, fault a new page: the victim is 2i+1, untouched the longest. (Seven
            // rounds: page 0, touched in the tick page 15 came in, would then tie with it.)
            for (int i = 0; i < 7; i++) {
                assertTrue(f.read(2 * i), "page " + 2 * i + " is cached");
                assertFalse(f.read(16 + i), "page " + (16 + i) + " is new");
                for (int pid = 0; pid < 16; pid++) {
                    boolean expected = pid % 2 == 0 || pid > 2 * i + 1;
                    assertTrue(f.pool.isResident(pid) == expected,
                            "after faulting page " + (16 + i) + ", page " + pid + (expected ? " should" : " should not")
                                    + " be cached");
                }
            }
        }
    }

    @Test
    void midpointInsertionEvictsProbationPagesFirst() throws Exception {
        try (PoolFixture f = PoolFixture.create(new CacheConfig(PolicyKind.LRU, true, false, 1000, 0.3), 16, 40)) {
            for (int pid = 0; pid < 16; pid++) {
                f.read(pid);
            }
            for (int pid = 0; pid < 4; pid++) {
                f.read(pid); // second touch: protected
            }
            // Pages 0-3 are the least recently used by admission order, but protected: 4, 5, ... go first.
            for (int i = 0; i < 6; i++) {
                assertFalse(f.read(16 + i));
                assertFalse(f.pool.isResident(4 + i), "probation page " + (4 + i) + " is the victim");
                for (int pid = 0; pid < 4; pid++) {
                    assertTrue(f.pool.isResident(pid), "protected page " + pid + " stays");
                }
            }
        }
    }
}
