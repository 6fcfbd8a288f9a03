package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.cache.PolicyKind;
import org.junit.jupiter.api.Test;

/** The cache knobs of LightningDbConfig: defaults, validation messages, toBuilder, toString. */
class LightningDbConfigCacheTest {
    @Test
    void defaultsAreClockWithScanResistanceAndNoPinning() {
        LightningDbConfig c = LightningDbConfig.defaults();
        assertEquals(CacheAlgorithm.CLOCK, c.cacheAlgorithm());
        assertTrue(c.enableScanResistance());
        assertFalse(c.pinHotPages());
        assertEquals(1000, c.hotPageThreshold());
        assertEquals(0.3, c.hotPartitionRatio());
        assertEquals(PolicyKind.CLOCK, c.cache().algorithm());
    }

    @Test
    void theDefaultCacheIsAQuarterOfASmallContainerAnd256MiBOtherwise() {
        assertEquals(256L << 20, LightningDbConfig.defaultCacheSize(24L << 30), "a 24 GiB machine");
        assertEquals(256L << 20, LightningDbConfig.defaultCacheSize(1L << 30), "1 GiB: a quarter is 256 MiB");
        assertEquals(128L << 20, LightningDbConfig.defaultCacheSize(512L << 20), "a 512 MiB container");
        assertEquals(75L << 20, LightningDbConfig.defaultCacheSize(300L << 20), "whole MiB: 75 of 300 MiB");
        assertEquals(16L << 20, LightningDbConfig.defaultCacheSize(32L << 20), "never below 16 MiB");
        assertEquals(256L << 20, LightningDbConfig.defaultCacheSize(0), "memory unknown");
        assertEquals(LightningDbConfig.defaultCacheSize(LightningDbConfig.totalMemory()),
                LightningDbConfig.defaults().cacheSize(), "the builder starts from it on this machine");
    }

    @Test
    void everyAlgorithmMapsToItsPolicy() {
        for (CacheAlgorithm a : CacheAlgorithm.values()) {
            assertEquals(a.name(), LightningDbConfig.builder().cacheAlgorithm(a).build().cache().algorithm().name());
        }
    }

    @Test
    void outOfRangeValuesNameTheFieldAndTheRange() {
        for (int bad : new int[] {0, -5, (1 << 24) + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LightningDbConfig.builder().hotPageThreshold(bad).build());
            assertEquals("hotPageThreshold must be in [1, 16777216], got " + bad, e.getMessage());
        }
        for (double bad : new double[] {0.0, -0.1, 0.95, 1.0, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LightningDbConfig.builder().hotPartitionRatio(bad).build());
            assertEquals("hotPartitionRatio must be in (0.0, 0.9], got " + bad, e.getMessage());
        }
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> LightningDbConfig.builder().cacheAlgorithm(null).build());
        assertEquals("cacheAlgorithm", npe.getMessage());
    }

    @Test
    void toBuilderKeepsAndToStringShowsTheCacheKnobs() {
        LightningDbConfig c = LightningDbConfig.builder().cacheAlgorithm(CacheAlgorithm.ARC).enableScanResistance(false)
                .pinHotPages(true).hotPageThreshold(77).hotPartitionRatio(0.5).build();
        LightningDbConfig copy = c.toBuilder().build();
        assertEquals(c.cache(), copy.cache());
        assertEquals(CacheAlgorithm.ARC, copy.cacheAlgorithm());
        assertEquals(c.toString(), copy.toString());
        for (String s : new String[] {"cacheAlgorithm=ARC", "enableScanResistance=false", "pinHotPages=true",
                "hotPageThreshold=77", "hotPartitionRatio=0.5"}) {
            assertTrue(c.toString().contains(s), c + " lacks " + s);
        }
    }
}
