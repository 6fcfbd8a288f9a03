package io.lightningdb.crash;

import static org.junit.jupiter.api.Assertions.fail;

import io.lightningdb.Cursor;
import io.lightningdb.Database;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Acknowledged writes survive {@code kill -9}. Each cycle starts a {@link CrashWriter} child on
 * the same directory, SIGKILLs it at a seeded random moment, reopens the database here, checks
 * it ({@code verify()} clean, content a prefix of the history within the mode's window) and
 * continues the history from the prefix found. The history's batches and transactions are ops
 * like any other, so a prefix holds each one wholly or not at all, and (SYNC, BATCH) every one
 * acknowledged: a transaction killed during its commit is atomic.
 * {@code -Dlightning.crash.cycles=N} runs more cycles; {@code -Dlightning.seed=S} replays a run's
 * ops and kill delays (the child's speed, so the exact kill points, still vary).
 */
class CrashTest {
    private static final int CYCLES = Integer.getInteger("lightning.crash.cycles", 20);
    private static final long READY_TIMEOUT_MS = 60_000;
    /** ASYNC may lose what was acknowledged within the flush interval plus this much before the kill. */
    private static final long ASYNC_SLACK_MS = 1_000;

    @Test
    void syncKeepsEveryAcknowledgedWrite() throws Exception {
        run(CrashConfig.SYNC);
    }

    @Test
    void batchKeepsEveryAcknowledgedWrite() throws Exception {
        run(CrashConfig.BATCH);
    }

    @Test
    void asyncRecoversAPrefixLosingOnlyTheLastInterval() throws Exception {
        run(CrashConfig.ASYNC);
    }

    private static void run(String mode) throws Exception {
        long seed = Seeds.seed("CrashTest." + mode);
        Path root = TestDirs.fresh("crash-" + mode.toLowerCase());
        Path dbDir = root.resolve("db");
        History history = new History(seed);
        PrefixModel model = new PrefixModel(history);
        SplittableRandom timing = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        // The first child continues an existing empty database, so every kill lands after creation.
        Database.open(dbDir, CrashConfig.config(mode, CrashConfig.ASYNC_FLUSH_INTERVAL)).close();
        long started = System.nanoTime();
        long acked = 0;
        int withInFlight = 0;
        int duringOpen = 0;
        long txnAcked = 0;
        int txnNext = 0;
        int txnNextKept = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String where = mode + " seed=" + seed + " cycle=" + cycle + " (replay with -Dlightning.seed=" + seed
                    + ", database " + dbDir + " kept)";
            long startIndex = model.applied();
            // One cycle in five counts the delay from the spawn, so some kills hit open and recovery.
            boolean fromSpawn = timing.nextInt(5) == 0;
            long delayMs = timing.nextLong(150, 1501);
            WriterProcess child = WriterProcess.start(dbDir, mode, seed, startIndex, root.resolve("child.stderr"));
            if (!fromSpawn && !child.awaitReady(READY_TIMEOUT_MS)) {
                int code = child.awaitExit(1);
                fail(where + ": the writer did not open the database (exit " + code + "): " + child.stderr());
            }
            Thread.sleep(delayMs);
            if (!child.isAlive()) {
                int code = child.awaitExit(1);
                fail(where + ": the writer ended by itself with exit " + code + " before the kill: " + child.stderr());
            }
            long killNanos = System.nanoTime();
            int code = child.kill();
            if (code != WriterProcess.KILLED) {
                fail(where + ": the writer ended with exit " + code + ", not by SIGKILL: " + child.stderr());
            }
            List<String> protocol = child.protocolErrors(startIndex);
            if (!protocol.isEmpty()) {
                fail(where + ": writer output is not a clean ack sequence: " + protocol);
            }
            long lastAck = child.lastAck(startIndex - 1);
            long lo = lastAck + 1;
            if (mode.equals(CrashConfig.ASYNC)) {
                long cutoff = killNanos - CrashConfig.ASYNC_FLUSH_INTERVAL.toNanos() - ASYNC_SLACK_MS * 1_000_000;
                lo = Math.max(startIndex, child.lastAckBefore(cutoff, startIndex - 1) + 1);
            }
            long hi = lastAck + 2;
            PrefixModel.Match m = checkReopened(where, dbDir, mode, history, model, lo, hi,
                    "acks: ops [" + startIndex + ", " + (lastAck + 1) + "), " + child.ackCount() + " acknowledged, killed "
                            + delayMs + " ms after " + (fromSpawn ? "spawn" : "READY"));
            acked += lastAck + 1 - startIndex;
            withInFlight += m.k() == lastAck + 2 ? 1 : 0;
            duringOpen += child.ackCount() == 0 ? 1 : 0;
            for (long i = startIndex; i <= lastAck; i++) {
                txnAcked += history.op(i).kind().transaction() ? 1 : 0;
            }
            if (history.op(lastAck + 1).kind().transaction()) {
                txnNext++;
                txnNextKept += m.k() == lastAck + 2 ? 1 : 0;
            }
        }
        System.out.printf("CrashTest.%s: %d kill cycles in %.1f s, %d ops acknowledged (%d transactions), %d"
                + " recoveries held the in-flight op, %d kills with a transaction next (%d recovered it whole), %d kills"
                + " before the first ack, history now at op %d%n", mode, CYCLES, (System.nanoTime() - started) / 1e9,
                acked, txnAcked, withInFlight, txnNext, txnNextKept, duringOpen, model.applied());
        TestDirs.deleteTree(root);
    }

    /** Opens the killed writer's database, verifies it, matches its content, closes it (a checkpoint). */
    private static PrefixModel.Match checkReopened(String where, Path dbDir, String mode, History history,
            PrefixModel model, long lo, long hi, String acks) {
        try (Database db = Database.open(dbDir, CrashConfig.config(mode, CrashConfig.ASYNC_FLUSH_INTERVAL))) {
            List<String> problems = db.verify();
            if (!problems.isEmpty()) {
                fail(where + ": verify() after the crash found " + problems.size() + " problems, first "
                        + problems.subList(0, Math.min(5, problems.size())) + "; " + acks);
            }
            TreeMap<String, Long> content = read(db, history);
            PrefixModel.Match m = model.match(content, lo, hi);
            if (!m.matched()) {
                fail(where + ": " + m.describe() + "; " + acks);
            }
            return m;
        } catch (RuntimeException e) {
            throw new AssertionError(where + ": reopening after the crash failed: " + e + "; " + acks, e);
        }
    }

    /** The whole content, key name to the write that stored each value ({@link History#decode}). */
    static TreeMap<String, Long> read(Database db, History history) {
        TreeMap<String, Long> content = new TreeMap<>();
        try (Cursor c = db.scan(null, null)) {
            while (c.next()) {
                String key = new String(c.key(), StandardCharsets.US_ASCII);
                content.put(key, history.decode(key, c.value()));
            }
        }
        return content;
    }
}
