package io.lightningdb.crash;

import io.lightningdb.Database;
import io.lightningdb.WriteBatch;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The child {@link ConcurrentCrashTest} kills: several threads write side by side, each its own
 * keys, and each acknowledges an op ({@code ACK <thread> <op>}) only after the call returned.
 * Thread t's op i writes key {@code i % KEYS} of its namespace with value(i); every third op is a
 * batch that also writes the same value to the key's mirror, so a recovered database shows
 * whether each thread's writes are durable, in order, and whole.
 *
 * <p>Arguments: database directory, WAL mode (SYNC or BATCH), seed, cycle, threads.
 */
public final class ConcurrentCrashWriter {
    static final int KEYS = 64;

    private ConcurrentCrashWriter() {}

    static boolean isBatch(long op) {
        return op % 3 == 2;
    }

    static byte[] key(int cycle, int thread, boolean mirror, long op) {
        return ("c" + cycle + (mirror ? "/m" : "/k") + thread + "/" + (op % KEYS)).getBytes(StandardCharsets.US_ASCII);
    }

    /** 8 bytes of the op, then filler whose length (0..299, or 2000: an overflow value) follows from the op. */
    static byte[] value(long seed, int thread, long op) {
        SplittableRandom r = new SplittableRandom(seed * 31 + thread * 1_000_003L + op);
        int filler = r.nextInt(20) == 0 ? 2000 : r.nextInt(300);
        ByteBuffer b = ByteBuffer.allocate(8 + filler).putLong(op);
        while (b.hasRemaining()) {
            b.put((byte) (op + b.position()));
        }
        return b.array();
    }

    public static void main(String[] args) {
        try {
            Path dir = Path.of(args[0]);
            String mode = args[1];
            long seed = Long.parseLong(args[2]);
            int cycle = Integer.parseInt(args[3]);
            int threads = Integer.parseInt(args[4]);
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);
            Database db = Database.open(dir, CrashConfig.config(mode, CrashConfig.ASYNC_FLUSH_INTERVAL));
            out.println("READY");
            out.flush();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread.ofPlatform().start(() -> {
                    try {
                        for (long op = 0; ; op++) {
                            byte[] v = value(seed, thread, op);
                            if (isBatch(op)) {
                                WriteBatch b = db.newWriteBatch();
                                b.put(key(cycle, thread, false, op), v);
                                b.put(key(cycle, thread, true, op), v);
                                db.write(b);
                            } else {
                                db.put(key(cycle, thread, false, op), v);
                            }
                            synchronized (out) {
                                out.println("ACK " + thread + " " + op);
                                out.flush();
                            }
                        }
                    } catch (Throwable e) {
                        e.printStackTrace(System.err);
                        System.err.flush();
                        Runtime.getRuntime().halt(CrashWriter.EXIT_ERROR);
                    }
                });
            }
        } catch (Throwable t) {
            t.printStackTrace(System.err);
            System.err.flush();
            Runtime.getRuntime().halt(CrashWriter.EXIT_ERROR);
        }
    }
}
