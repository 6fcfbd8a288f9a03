package io.lightningdb.cli;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.WalSyncMode;
import io.lightningdb.DatabaseStats;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lightning demo}: opens (or creates) a database with default settings, loads keys with a
 * progress bar, reads them back at random, scans ranges, deletes a tenth, checks the tree's
 * invariants ({@code db.verify()}), prints each phase's throughput and {@code db.stats()}, and
 * closes. A later run reopens the same directory, checks a sample of what the previous run left
 * (values, deletions, key count), then loads again over it: every run checks the one before, so
 * the demo doubles as a durability smoke test. A mismatch is printed and makes the exit code 1.
 */
@Command(name = "demo", description = {"Loads, reads, scans and deletes keys; a second run checks the first.",
    "Loads 1,000,000 keys into ./data with a progress bar, reads them at random, scans ranges,",
    "deletes a tenth; prints throughput per phase and db.stats(). A second run reopens the",
    "directory and checks what the first left."})
final class Demo implements Callable<Integer> {
    static final long DEFAULT_KEYS = 1_000_000;
    static final long MIN_KEYS = 100;
    static final long MAX_KEYS = 100_000_000;
    /** Keys of the previous run checked on reopen. */
    static final int SAMPLE = 10_000;
    static final int SCANS = 100;
    static final int SCAN_LENGTH = 1_000;
    /** Mismatches printed in full; the rest are only counted. */
    private static final int SHOWN_MISMATCHES = 5;

    @Spec
    private CommandSpec spec;
    @Option(names = {"--db", "--dir"}, paramLabel = "DIR", defaultValue = "data",
            description = "the database directory (default: ${DEFAULT-VALUE}); a second run reopens it")
    private Path dir;
    @Option(names = "--keys", paramLabel = "N", defaultValue = "1000000",
            description = "keys to load (default: ${DEFAULT-VALUE}, 100 to 100000000)")
    private long keys;

    private PrintWriter out;
    private Main main;
    private final byte[] keyBuf = new byte[DemoData.KEY_BYTES];
    private final byte[] valueBuf = new byte[DemoData.VALUE_BYTES];
    private long mismatches;

    @Override
    public Integer call() {
        if (keys < MIN_KEYS || keys > MAX_KEYS) {
            throw new ParameterException(spec.commandLine(), "--keys must be an integer in [" + MIN_KEYS + ", " + MAX_KEYS
                    + "], got '" + keys + "'");
        }
        main = Main.of(spec);
        out = main.out();
        return run(dir.toAbsolutePath().normalize(), keys);
    }

    private int run(Path dir, long n) {
        out.printf("Lightning DB demo: %,d keys of %d bytes with %d-byte values in %s%n", n, DemoData.KEY_BYTES,
                DemoData.VALUE_BYTES, dir);
        // ASYNC: a bulk load should not wait for a disk sync per key; flush() below makes it durable.
        Database db = Database.open(dir, LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).build());
        boolean closed = false;
        try {
            DemoData.Meta previous = describeOpen(db, dir);
            int run = previous == null ? 1 : previous.run() + 1;
            out.println();
            if (previous != null) {
                verify(db, previous);
            }
            load(db, run, n, previous);
            randomReads(db, run, n);
            scans(db, run, n);
            deletes(db, n);
            treeCheck(db);
            db.put(DemoData.META_KEY, new DemoData.Meta(run, n).encode());
            printStats(db.stats(), n);
            long t = System.nanoTime();
            closed = true;
            db.close();
            out.printf("%nclosed in %.2f s (a checkpoint: every changed page written and fsync'd, then the superblock).%n",
                    seconds(t));
            if (mismatches > 0) {
                out.printf("FAILED: %,d keys were not as expected (see above).%n", mismatches);
                return Main.EXIT_FAILED;
            }
            out.printf("Run it again: it reopens %s and checks what run %d left before loading again.%n", dir, run);
            return Main.EXIT_OK;
        } finally {
            if (!closed) {
                db.close();
            }
        }
    }

    /** Says whether the database was created or reopened; returns what the previous run recorded, if any. */
    private DemoData.Meta describeOpen(Database db, Path dir) {
        DatabaseStats st = db.stats();
        out.printf("page size %,d bytes, cache %s, I/O %s, node search %s%n", st.pageSize(), mib(st.cacheSize()),
                st.capabilities().ioBackend(), st.search());
        if (!db.wasReopened()) {
            out.println("created a new database: " + dir.resolve(Database.FILE_NAME));
            return null;
        }
        byte[] record = db.get(DemoData.META_KEY);
        if (record == null) {
            if (st.keys() > 0) {
                throw new IllegalStateException(dir + " holds a database the demo did not write (" + st.keys()
                        + " keys, no " + new String(DemoData.META_KEY) + " record); pass --dir to use another directory");
            }
            out.println("reopened an empty database (Database.wasReopened() = true): " + dir.resolve(Database.FILE_NAME));
            return null;
        }
        DemoData.Meta meta = DemoData.Meta.decode(record);
        if (meta == null) {
            throw new IllegalStateException(dir + ": the demo record " + DemoData.show(DemoData.META_KEY)
                    + " holds " + DemoData.show(record) + ", not run=N keys=N; pass --dir to use another directory");
        }
        long gone = DemoData.deletedCount(meta.keys());
        out.printf("reopened the existing database (Database.wasReopened() = true), left by demo run %d:%n"
                + "  it loaded %,d keys and deleted %,d, leaving %,d (plus its run record); %,d keys found%n",
                meta.run(), meta.keys(), gone, meta.keys() - gone, st.keys());
        return meta;
    }

    /** Checks a sample of what the previous run left and its key count. */
    private void verify(Database db, DemoData.Meta prev) {
        long before = mismatches;
        long expectedKeys = prev.keys() - DemoData.deletedCount(prev.keys()) + 1;
        long found = db.stats().keys();
        if (found != expectedKeys) {
            mismatches++;
            out.printf("  MISMATCH: %,d keys in the database, run %d left %,d (its record included)%n", found,
                    prev.run(), expectedKeys);
        }
        int sample = (int) Math.min(SAMPLE, prev.keys());
        SplittableRandom rnd = new SplittableRandom(prev.run());
        long present = 0;
        ProgressBar bar = main.progress("verify", sample);
        long t = System.nanoTime();
        for (int s = 0; s < sample; s++) {
            long i = rnd.nextLong(prev.keys());
            byte[] got = db.get(DemoData.key(i, keyBuf));
            byte[] want = DemoData.deleted(i) ? null : DemoData.value(prev.run(), i, valueBuf);
            if (!(want == null ? got == null : Arrays.equals(want, got))) {
                mismatch(bar, i, want, got);
            }
            present += got == null ? 0 : 1;
            bar.update(s + 1);
        }
        bar.clear();
        phase("verify", sample, "sampled gets", t, mismatches == before
                ? String.format("all as run %d left them: %,d present with its values, %,d deleted and absent"
                        + " (just opened: pages come from the file, while the warm restart reads run %d's cached pages"
                        + " back in the background)", prev.run(), present, sample - present, prev.run())
                : "see the mismatches above");
    }

    /** The tree's invariants over everything, with the pages warm from the phases before. */
    private void treeCheck(Database db) {
        long t = System.nanoTime();
        List<String> problems = db.verify();
        out.printf("  %-12s %s (%.2f s)%n", "tree check", problems.isEmpty()
                ? "db.verify(): order, high keys, links, levels and key count all sound"
                : "db.verify() found " + problems.size() + " problems, first: " + problems.getFirst(), seconds(t));
        mismatches += problems.size();
    }

    /** Puts every key in a scattered order (a permutation of the indexes), drawing the progress bar. */
    private void load(Database db, int run, long n, DemoData.Meta prev) {
        long stride = DemoData.stride(n);
        ProgressBar bar = main.progress(prev == null ? "load" : "reload", n);
        long t = System.nanoTime();
        long i = 0;
        for (long j = 0; j < n; j++) {
            db.put(DemoData.key(i, keyBuf), DemoData.value(run, i, valueBuf));
            i += stride;
            if (i >= n) {
                i -= n;
            }
            bar.update(j + 1);
        }
        long extra = prev == null ? 0 : Math.max(0, prev.keys() - n);
        for (long k = n; k < n + extra; k++) {
            db.delete(DemoData.key(k, keyBuf));
        }
        db.flush();
        bar.clear();
        String note = prev == null ? "in scattered order"
                : "over run " + prev.run() + "'s values, its deleted keys put back"
                        + (extra > 0 ? String.format("; %,d keys beyond --keys deleted", extra) : "");
        phase(prev == null ? "load" : "reload", n, "puts", t, note);
    }

    private void randomReads(Database db, int run, long n) {
        SplittableRandom rnd = new SplittableRandom(run * 31L + n);
        ProgressBar bar = main.progress("random reads", n);
        long t = System.nanoTime();
        for (long r = 0; r < n; r++) {
            long i = rnd.nextLong(n);
            byte[] got = db.get(DemoData.key(i, keyBuf));
            byte[] want = DemoData.value(run, i, valueBuf);
            if (!Arrays.equals(want, got)) {
                mismatch(bar, i, want, got);
            }
            bar.update(r + 1);
        }
        bar.clear();
        phase("random reads", n, "gets", t, "each value checked");
    }

    /** Bounded forward scans from random keys; each must return exactly the consecutive keys in range. */
    private void scans(Database db, int run, long n) {
        SplittableRandom rnd = new SplittableRandom(run * 37L + n);
        int length = (int) Math.min(SCAN_LENGTH, n);
        long entries = 0;
        long t = System.nanoTime();
        scan:
        for (int s = 0; s < SCANS; s++) {
            long from = rnd.nextLong(n);
            long expect = from;
            try (Cursor c = db.scan(DemoData.key(from), DemoData.key(from + length))) {
                while (c.next()) {
                    if (!Arrays.equals(DemoData.key(expect, keyBuf), c.key())) {
                        mismatches++;
                        out.printf("  MISMATCH: scan from key %d expected %s next, found %s%n", from,
                                DemoData.show(keyBuf), DemoData.show(c.key()));
                        continue scan;
                    }
                    if (!Arrays.equals(DemoData.value(run, expect, valueBuf), c.value())) {
                        mismatch(null, expect, valueBuf, c.value());
                    }
                    expect++;
                    entries++;
                }
            }
            long want = Math.min(from + length, n);
            if (expect != want) {
                mismatches++;
                out.printf("  MISMATCH: scan from key %d returned %,d entries, expected %,d%n", from, expect - from, want - from);
            }
        }
        phase("range scans", entries, "entries", t, String.format("%d scans of up to %,d keys", SCANS, length));
    }

    private void deletes(Database db, long n) {
        long count = DemoData.deletedCount(n);
        ProgressBar bar = main.progress("delete", count);
        long t = System.nanoTime();
        long done = 0;
        for (long i = 0; i < n; i += DemoData.DELETE_EVERY) {
            db.delete(DemoData.key(i, keyBuf));
            bar.update(++done);
        }
        bar.clear();
        phase("delete", count, "deletes", t, "every tenth key");
    }

    private void mismatch(ProgressBar bar, long i, byte[] want, byte[] got) {
        if (mismatches++ < SHOWN_MISMATCHES) {
            if (bar != null) {
                bar.clear();
            }
            out.printf("  MISMATCH at %s: expected %s, found %s%n", DemoData.show(DemoData.key(i)), DemoData.show(want),
                    DemoData.show(got));
        }
    }

    private void phase(String name, long ops, String unit, long startNanos, String note) {
        double s = seconds(startNanos);
        out.printf("  %-12s %,11d %-12s %7.2f s %,12.0f ops/s   %s%n", name, ops, unit, s, ops / Math.max(s, 1e-9), note);
    }

    private void printStats(DatabaseStats st, long n) {
        out.println();
        out.println("db.stats():");
        long expected = n - DemoData.deletedCount(n) + 1;
        if (st.keys() == expected) {
            out.printf("  %-16s %,d (%,d demo keys and the run record)%n", "keys", st.keys(), expected - 1);
        } else {
            mismatches++;
            out.printf("  %-16s %,d: MISMATCH, expected %,d (%,d demo keys and the run record)%n", "keys", st.keys(),
                    expected, expected - 1);
        }
        out.printf("  %-16s %,d pages of %,d bytes = %s, %,d free; tree height %d%n", "file", st.pages(), st.pageSize(),
                mib(st.pages() * st.pageSize()), st.freePages(), st.treeHeight());
        out.printf("  %-16s %s in memory of %s; hit ratio %.1f%%; %,d page faults, %,d evictions%n", "cache",
                mib(st.cacheUsed()), mib(st.cacheSize()), 100 * st.cacheHitRatio(), st.pageFaults(), st.evictions());
        out.printf("  %-16s %s%n", "off-heap memory", mib(st.offHeapBytes()));
        out.printf("  %-16s %s%n", "node search", st.search());
        out.printf("  %-16s %s, O_DIRECT %s%n", "I/O", st.capabilities().ioBackend(),
                st.capabilities().directIo().available() ? "on" : "off (" + st.capabilities().directIo().detail() + ")");
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
