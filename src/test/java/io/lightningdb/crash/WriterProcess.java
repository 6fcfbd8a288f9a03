package io.lightningdb.crash;

import io.lightningdb.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CrashWriter} child and the thread reading its acks. Each ack is stamped with the
 * parent's clock when read: never earlier than the child printed it, so "acknowledged more than
 * X before the kill" judged on these stamps is only ever too cautious.
 */
final class WriterProcess {
    /** Exit code of a process ended by SIGKILL (128 + 9). */
    static final int KILLED = 137;

    private final Process process;
    private final Path stderr;
    private final Thread reader;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Object lock = new Object();
    private long[] ackIndex = new long[1024];
    private long[] ackNanos = new long[1024];
    private int acks;
    private final List<String> unexpected = new ArrayList<>();

    private WriterProcess(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = Thread.ofPlatform().name("crash-acks-" + process.pid()).daemon().start(this::readAcks);
    }

    static WriterProcess start(Path dir, String mode, long seed, long startIndex, Path stderr) throws IOException {
        List<String> cmd = ChildJvm.command(CrashWriter.class, dir.toString(), mode, Long.toString(seed),
                Long.toString(startIndex));
        Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
        return new WriterProcess(p, stderr);
    }

    private void readAcks() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                long now = System.nanoTime();
                if (line.startsWith("ACK ")) {
                    record(Long.parseLong(line, 4, line.length(), 10), now);
                } else if (line.equals("READY")) {
                    ready.countDown();
                } else {
                    synchronized (lock) {
                        unexpected.add(line);
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            synchronized (lock) {
                unexpected.add("reading acks failed: " + e);
            }
        }
    }

    private void record(long index, long nanos) {
        synchronized (lock) {
            if (acks == ackIndex.length) {
                ackIndex = Arrays.copyOf(ackIndex, acks * 2);
                ackNanos = Arrays.copyOf(ackNanos, acks * 2);
            }
            ackIndex[acks] = index;
            ackNanos[acks] = nanos;
            acks++;
        }
    }

    /** Whether the child opened its database within the timeout. */
    boolean awaitReady(long timeoutMillis) throws InterruptedException {
        return ready.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGKILL, then waits for the process and for its last acks to be read; returns the exit code.
     * Through the ProcessHandle: {@code Process.destroyForcibly()} also closes our end of the pipe,
     * dropping acks the child wrote but we had not read yet.
     */
    int kill() throws InterruptedException {
        if (!process.toHandle().destroyForcibly()) {
            throw new IllegalStateException("SIGKILL to writer " + process.pid() + " was refused");
        }
        int code = process.waitFor();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return code;
    }

    /** Waits for a child that ended by itself (or hangs: then it is killed). */
    int awaitExit(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return kill();
        }
        reader.join(TimeUnit.SECONDS.toMillis(30));
        return process.exitValue();
    }

    int ackCount() {
        synchronized (lock) {
            return acks;
        }
    }

    /** The last op acknowledged, or {@code none} without acks. */
    long lastAck(long none) {
        synchronized (lock) {
            return acks == 0 ? none : ackIndex[acks - 1];
        }
    }

    /** The last op whose ack was read before {@code nanos}, or {@code none}. */
    long lastAckBefore(long nanos, long none) {
        synchronized (lock) {
            long found = none;
            for (int i = 0; i < acks && ackNanos[i] < nanos; i++) {
                found = ackIndex[i];
            }
            return found;
        }
    }

    /** Acks out of sequence (each must be the previous one plus 1, from startIndex), or lines that are not acks. */
    List<String> protocolErrors(long startIndex) {
        synchronized (lock) {
            List<String> errors = new ArrayList<>(unexpected);
            for (int i = 0; i < acks; i++) {
                if (ackIndex[i] != startIndex + i) {
                    errors.add("ack #" + i + " is op " + ackIndex[i] + ", expected op " + (startIndex + i));
                    break;
                }
            }
            return errors;
        }
    }

    String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
