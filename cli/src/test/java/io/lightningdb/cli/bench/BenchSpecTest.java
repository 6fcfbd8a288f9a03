package io.lightningdb.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class BenchSpecTest {
    private static String message(UnaryOperator<BenchSpec.Builder> bad) {
        return assertThrows(IllegalArgumentException.class, () -> bad.apply(BenchSpec.builder()).build()).getMessage();
    }

    @Test
    void everyFieldOutOfRangeIsNamedWithItsRange() {
        assertEquals("keyCount: 0 is out of range; allowed 1 to 100,000,000", message(b -> b.keyCount(0)));
        assertEquals("keyCount: 100,000,001 is out of range; allowed 1 to 100,000,000",
                message(b -> b.keyCount(100_000_001)));
        assertEquals("valueSize: 15 is out of range; allowed 16 to 1,048,576", message(b -> b.valueSize(15)));
        assertEquals("valueSize: 1,048,577 is out of range; allowed 16 to 1,048,576",
                message(b -> b.valueSize((1 << 20) + 1)));
        assertEquals("threads: 0 is out of range; allowed 1 to 1,024", message(b -> b.threads(0)));
        assertEquals("threads: 1,025 is out of range; allowed 1 to 1,024", message(b -> b.threads(1025)));
        assertEquals("duration: 99 ms is out of range; allowed 100 ms to 86400 s",
                message(b -> b.duration(Duration.ofMillis(99))));
        assertEquals("duration: 86401 s is out of range; allowed 100 ms to 86400 s",
                message(b -> b.duration(Duration.ofHours(24).plusSeconds(1))));
        assertEquals("warmup: -1 ms is out of range; allowed 0 s to 3600 s",
                message(b -> b.warmup(Duration.ofMillis(-1))));
        assertEquals("warmup: 3601 s is out of range; allowed 0 s to 3600 s",
                message(b -> b.warmup(Duration.ofSeconds(3601))));
        assertEquals("maxScanLength: 0 is out of range; allowed 1 to 10,000", message(b -> b.maxScanLength(0)));
        assertEquals("maxScanLength: 10,001 is out of range; allowed 1 to 10,000",
                message(b -> b.maxScanLength(10_001)));
        assertThrows(NullPointerException.class, () -> BenchSpec.builder().workload(null).build());
        assertThrows(NullPointerException.class, () -> BenchSpec.builder().duration(null).build());
    }

    @Test
    void boundsAreAllowed() {
        BenchSpec.builder().keyCount(1).valueSize(16).threads(1).duration(Duration.ofMillis(100)).warmup(Duration.ZERO)
                .maxScanLength(1).build();
        BenchSpec.builder().keyCount(BenchSpec.MAX_KEY_COUNT).valueSize(BenchSpec.MAX_VALUE_SIZE)
                .threads(BenchSpec.MAX_THREADS).duration(Duration.ofHours(24)).warmup(Duration.ofHours(1))
                .maxScanLength(BenchSpec.MAX_SCAN_LENGTH).build();
    }

    @Test
    void workloadsByNameAndTheirMixes() {
        assertEquals(Workload.A, Workload.byName("a"));
        assertEquals(Workload.E, Workload.byName(" YCSB-E "));
        assertEquals(Workload.MIXED, Workload.byName("Mixed"));
        String bad = assertThrows(IllegalArgumentException.class, () -> Workload.byName("g")).getMessage();
        assertEquals("workload: unknown 'g'; allowed: a, b, c, d, e, f, load, read, scan, mixed", bad);
        for (Workload w : Workload.values()) {
            double sum = 0;
            for (OpType op : OpType.values()) {
                sum += w.proportion(op);
            }
            assertEquals(1.0, sum, 1e-9, w.name());
        }
        assertEquals("50% read, 50% update (zipfian)", Workload.A.describe());
        assertEquals("95% read, 5% insert (latest)", Workload.D.describe());
        assertEquals("5% insert, 95% scan (zipfian)", Workload.E.describe());
        assertEquals("50% read, 50% read-modify-write (zipfian)", Workload.F.describe());
        assertEquals("70% read, 30% update (uniform)", Workload.MIXED.describe());
    }

    @Test
    void shortRunsSampleThroughputMoreOften() {
        assertEquals(Duration.ofSeconds(1), BenchSpec.builder().duration(Duration.ofSeconds(60)).build().sampleInterval());
        assertEquals(Duration.ofMillis(150), BenchSpec.builder().duration(Duration.ofSeconds(3)).build().sampleInterval());
        assertEquals(Duration.ofMillis(10), BenchSpec.builder().duration(Duration.ofMillis(100)).build().sampleInterval());
        assertTrue(BenchSpec.builder().duration(Duration.ofSeconds(3)).build().duration().dividedBy(
                BenchSpec.builder().duration(Duration.ofSeconds(3)).build().sampleInterval()) >= 20);
    }
}
