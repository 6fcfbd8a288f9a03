package io.lightningdb.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.lightningdb.Database;
import io.lightningdb.testing.ChildJvm;
import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kill -9} of a process whose writers run side by side ({@link ConcurrentCrashWriter}):
 * after recovery, for every thread, every acknowledged op is there, each key holds the newest of
 * its ops up to the last acknowledged one (or the op in flight), and each batch is whole (the
 * key's mirror holds the newest batch op not after the key's value). A log whose order for one
 * key differed from the order the tree applied would replay an older value; a half-logged batch
 * would show a mirror out of step.
 */
class ConcurrentCrashTest {
    private static final int CYCLES = Integer.getInteger("lightning.crash.cycles", 8);
    private static final int THREADS = 3;

    @ParameterizedTest
    @ValueSource(strings = {CrashConfig.SYNC, CrashConfig.BATCH})
    void everyAcknowledgedWriteOfEveryWriterSurvives(String mode) throws Exception {
        long seed = Seeds.seed("ConcurrentCrashTest." + mode);
        Path root = TestDirs.fresh("ccrash-" + mode.toLowerCase());
        Path dir = root.resolve("db");
        SplittableRandom timing = new SplittableRandom(seed);
        long acked = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            String where = mode + " seed=" + seed + " cycle=" + cycle + " (database " + dir + " kept)";
            List<String> cmd = ChildJvm.command(ConcurrentCrashWriter.class, dir.toString(), mode, Long.toString(seed),
                    Integer.toString(cycle), Integer.toString(THREADS));
            Path stderr = root.resolve("child.stderr");
            Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
            long[] last = new long[THREADS];
            Arrays.fill(last, -1);
            CountDownLatch ready = new CountDownLatch(1);
            StringBuilder protocol = new StringBuilder();
            Thread reader = Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.equals("READY")) {
                            ready.countDown();
                            continue;
                        }
                        String[] f = line.split(" ");
                        int t = Integer.parseInt(f[1]);
                        long op = Long.parseLong(f[2]);
                        synchronized (last) {
                            if (op != last[t] + 1) {
                                protocol.append("thread ").append(t).append(" acked ").append(op).append(" after ")
                                        .append(last[t]).append("; ");
                            }
                            last[t] = op;
                        }
                    }
                } catch (Exception e) {
                    synchronized (last) {
                        protocol.append(e);
                    }
                }
            });
            if (!ready.await(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(where + ": the writer did not open the database: " + Files.readString(stderr));
            }
            Thread.sleep(timing.nextLong(200, 900));
            if (!p.isAlive()) {
                fail(where + ": the writer ended by itself (exit " + p.waitFor() + "): " + Files.readString(stderr));
            }
            p.toHandle().destroyForcibly();
            assertEquals(137, p.waitFor(), where + ": not ended by SIGKILL: " + Files.readString(stderr));
            reader.join(30_000);
            long[] lastAck;
            synchronized (last) {
                assertTrue(protocol.isEmpty(), where + ": " + protocol);
                lastAck = last.clone();
            }
            try (Database db = Database.open(dir, CrashConfig.config(mode, CrashConfig.ASYNC_FLUSH_INTERVAL))) {
                assertEquals(List.of(), db.verify(), where + ": tree invariants after recovery");
                for (int t = 0; t < THREADS; t++) {
                    check(where + " thread " + t, db, seed, cycle, t, lastAck[t]);
                    acked += lastAck[t] + 1;
                }
            }
        }
        System.out.printf("ConcurrentCrashTest.%s: %d cycles, %d ops acknowledged by %d writers%n", mode, CYCLES, acked,
                THREADS);
        assertTrue(acked > 0, "the writers acknowledged nothing");
        TestDirs.deleteTree(root);
    }

    /** Thread {@code t}'s keys after a kill that came after op {@code lastAck} was acknowledged. */
    private static void check(String where, Database db, long seed, int cycle, int t, long lastAck) {
        for (int j = 0; j < ConcurrentCrashWriter.KEYS; j++) {
            long newestAcked = newestOpOfKey(j, lastAck);
            long inFlight = lastAck + 1;
            byte[] v = db.get(ConcurrentCrashWriter.key(cycle, t, false, j));
            long got = v == null ? -1 : ByteBuffer.wrap(v).getLong();
            boolean ok = got == newestAcked || (got == inFlight && inFlight % ConcurrentCrashWriter.KEYS == j);
            if (!ok) {
                fail(where + " key " + j + ": holds op " + got + ", expected op " + newestAcked
                        + (inFlight % ConcurrentCrashWriter.KEYS == j ? " or the in-flight " + inFlight : "")
                        + " (last acknowledged op " + lastAck + ")");
            }
            if (got >= 0 && !Arrays.equals(v, ConcurrentCrashWriter.value(seed, t, got))) {
                fail(where + " key " + j + ": value of op " + got + " is damaged");
            }
            long batch = got;
            while (batch >= 0 && !ConcurrentCrashWriter.isBatch(batch)) {
                batch -= ConcurrentCrashWriter.KEYS;
            }
            batch = Math.max(batch, -1);
            byte[] m = db.get(ConcurrentCrashWriter.key(cycle, t, true, j));
            long mirror = m == null ? -1 : ByteBuffer.wrap(m).getLong();
            if (mirror != batch) {
                fail(where + " key " + j + ": holds op " + got + " but its mirror holds op " + mirror
                        + ", expected the batch op " + batch + ": a batch was not applied whole");
            }
        }
    }

    /** The newest op at or before {@code lastAck} that wrote key {@code j}, or -1. */
    private static long newestOpOfKey(int j, long lastAck) {
        if (lastAck < j) {
            return -1;
        }
        return lastAck - Math.floorMod(lastAck - j, ConcurrentCrashWriter.KEYS);
    }
}
