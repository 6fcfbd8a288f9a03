package io.lightningdb.jmh;

import io.lightningdb.CacheAlgorithm;
import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.DatabaseStats;
import io.lightningdb.LightningDbConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Buffer pool replacement: zipfian point reads (YCSB's scrambled zipfian, theta 0.99) over a
 * database of 100,000 keys (~3,500 pages of 4 KiB) with a 4 MiB cache (1,024 pages), a full scan
 * every {@value #SCAN_EVERY} reads, per algorithm, scan resistance and hot-page pinning. The
 * score is operations per second (a scan counts as one operation); after each iteration the
 * benchmark prints, from {@link Database#stats()} snapshots around it and around every scan, the
 * hit ratio of the point reads alone and of everything, and the page faults per point read (the
 * leaf misses: inner pages always hit).
 *
 * {@snippet :
 * java -jar target/benchmarks.jar CacheBenchmark -f 1 -wi 1 -i 2 -w 2s -r 2s
 * }
 *
 * <p>The database is built once in {@code -Dlightning.bench.cacheDir} (default
 * target/bench/cache-db) and reopened cold by every trial, with O_DIRECT so a miss is a disk read.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class CacheBenchmark {
    static final int KEYS = 100_000;
    static final int VALUE_BYTES = 100;
    static final long CACHE = 4L << 20;
    static final int SCAN_EVERY = 10_000;
    static final int HOT_PAGE_THRESHOLD = 8;

    @Param({"CLOCK", "LRU", "ARC"})
    public String algorithm;

    @Param({"true", "false"})
    public boolean scanResistance;

    @Param({"false", "true"})
    public boolean pinHotPages;

    private Database db;
    private Zipf zipf;
    private SplittableRandom random;
    private long reads;
    private int iteration;
    private DatabaseStats iterationStart;
    private long scanAccesses;
    private long scanFaults;
    private long pointReads;

    static byte[] key(long n) {
        return String.format("user%010d", n).getBytes();
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path dir = Path.of(System.getProperty("lightning.bench.cacheDir", "target/bench/cache-db"));
        ensureDatabase(dir);
        LightningDbConfig cfg = LightningDbConfig.builder().cacheSize(CACHE)
                .cacheAlgorithm(CacheAlgorithm.valueOf(algorithm)).enableScanResistance(scanResistance)
                .pinHotPages(pinHotPages).hotPageThreshold(HOT_PAGE_THRESHOLD).build();
        db = Database.open(dir, cfg);
        zipf = new Zipf(KEYS, 0.99);
        random = new SplittableRandom(42);
    }

    static void ensureDatabase(Path dir) throws IOException {
        if (Files.exists(dir.resolve(Database.FILE_NAME))) {
            try (Database db = Database.open(dir)) {
                if (db.stats().keys() == KEYS) {
                    return;
                }
            }
        }
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        SplittableRandom r = new SplittableRandom(7);
        try (Database db = Database.open(dir, LightningDbConfig.builder().cacheSize(256L << 20).build())) {
            for (long n = 0; n < KEYS; n++) {
                byte[] v = new byte[VALUE_BYTES];
                r.nextBytes(v);
                db.put(key(n), v);
            }
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        iteration++;
        iterationStart = db.stats();
        scanAccesses = 0;
        scanFaults = 0;
        pointReads = 0;
    }

    @Benchmark
    public long zipfianReadsWithScans() {
        if (++reads % SCAN_EVERY == 0) {
            return fullScan();
        }
        pointReads++;
        byte[] v = db.get(key(zipf.scrambled(random)));
        return v == null ? -1 : v.length;
    }

    private long fullScan() {
        DatabaseStats before = db.stats();
        long n = 0;
        try (Cursor c = db.scan(null, null)) {
            while (c.next()) {
                n++;
            }
        }
        DatabaseStats after = db.stats();
        scanAccesses += after.cacheAccesses() - before.cacheAccesses();
        scanFaults += after.pageFaults() - before.pageFaults();
        return n;
    }

    @TearDown(Level.Iteration)
    public void report() {
        DatabaseStats end = db.stats();
        long accesses = end.cacheAccesses() - iterationStart.cacheAccesses();
        long faults = end.pageFaults() - iterationStart.pageFaults();
        double all = accesses <= 0 ? 1 : 1.0 - (double) faults / accesses;
        double point = accesses - scanAccesses <= 0 ? 1 : 1.0 - (double) (faults - scanFaults) / (accesses - scanAccesses);
        double faultsPerRead = pointReads == 0 ? 0 : (double) (faults - scanFaults) / pointReads;
        System.out.printf("%n[cache] %s scanResistance=%s pinHotPages=%s iteration %d: point-read hit ratio %.4f,"
                + " overall %.4f, faults per point read %.4f, pinned pages %d%n", algorithm, scanResistance,
                pinHotPages, iteration, point, all, faultsPerRead, end.pinnedPages());
    }

    @TearDown(Level.Trial)
    public void close() {
        db.close();
    }

    /** YCSB's zipfian generator (Gray et al.), ranks scrambled by FNV-1a so hot keys spread over the tree. */
    static final class Zipf {
        private final long n;
        private final double theta;
        private final double zetan;
        private final double alpha;
        private final double eta;

        Zipf(long n, double theta) {
            this.n = n;
            this.theta = theta;
            this.zetan = zeta(n, theta);
            this.alpha = 1.0 / (1.0 - theta);
            this.eta = (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta(2, theta) / zetan);
        }

        static double zeta(long n, double theta) {
            double sum = 0;
            for (long i = 1; i <= n; i++) {
                sum += 1 / Math.pow(i, theta);
            }
            return sum;
        }

        long rank(SplittableRandom r) {
            double u = r.nextDouble();
            double uz = u * zetan;
            if (uz < 1) {
                return 0;
            }
            if (uz < 1 + Math.pow(0.5, theta)) {
                return 1;
            }
            return Math.min(n - 1, (long) (n * Math.pow(eta * u - eta + 1, alpha)));
        }

        long scrambled(SplittableRandom r) {
            long h = 0xcbf29ce484222325L;
            long x = rank(r);
            for (int i = 0; i < 8; i++) {
                h ^= (x >>> (i * 8)) & 0xff;
                h *= 0x100000001b3L;
            }
            return Math.floorMod(h, n);
        }
    }
}
