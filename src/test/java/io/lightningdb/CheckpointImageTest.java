package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.Seeds;
import io.lightningdb.testing.TestDirs;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each checkpoint image is the tree as of one moment, although writers run through the checkpoint
 * (copy-on-write capture): a copy of the data file taken right after {@code checkpoint()} returns,
 * opened without its log, holds exactly the writes before some point of the writer's history,
 * nothing half-applied, and a sound tree.
 */
class CheckpointImageTest {
    private static final int KEYS = 3000;
    private final Path dir = TestDirs.fresh("ckpt-image");

    @AfterEach
    void cleanUp() throws IOException {
        TestDirs.deleteTree(dir);
    }

    private static byte[] key(long i) {
        return String.format("k%05d", i % KEYS).getBytes();
    }

    /** Op i writes key i % KEYS (a delete every 7th op); values carry i and vary in size. */
    private static byte[] value(long i) {
        byte[] v = new byte[8 + (int) (i * 31 % 3000)];
        MemorySegment.ofArray(v).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, i);
        return v;
    }

    private static boolean isDelete(long i) {
        return i % 7 == 3;
    }

    @Test
    void everyImageIsAPrefixOfTheWriterHistory() throws Exception {
        SplittableRandom rnd = Seeds.random("CheckpointImageTest");
        LightningDbConfig cfg = LightningDbConfig.builder().walSyncMode(WalSyncMode.ASYNC).cacheSize(2L << 20)
                .maxWalSize(64L << 30).build();
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (Database db = Database.open(dir.resolve("db"), cfg)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                for (long i = 0; !stop.get(); i++) {
                    if (isDelete(i)) {
                        db.delete(key(i));
                    } else {
                        db.put(key(i), value(i));
                    }
                    done.set(i + 1);
                }
            });
            try {
                for (int round = 0; round < 8; round++) {
                    Thread.sleep(50 + rnd.nextInt(150));
                    long before = done.get();
                    db.checkpoint();
                    long after = done.get();
                    Path copy = dir.resolve("copy-" + round);
                    Files.createDirectories(copy);
                    Files.copy(dir.resolve("db").resolve(Database.FILE_NAME), copy.resolve(Database.FILE_NAME));
                    checkImage(copy, cfg, before, after, round);
                }
            } finally {
                stop.set(true);
                writer.join();
            }
        }
    }

    /** The copy, opened without a log, is the state after ops [0, k) for one k in [before, after]. */
    private static void checkImage(Path copy, LightningDbConfig cfg, long before, long after, int round) {
        try (Database img = Database.open(copy, cfg)) {
            assertEquals(0, img.recovery().records(), "a data file alone replays nothing");
            assertEquals(List.of(), img.verify(), "round " + round);
            Map<String, Long> found = new HashMap<>();
            long k = 0;
            try (Cursor c = img.scan(null, null)) {
                while (c.next()) {
                    long op = MemorySegment.ofArray(c.value()).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                    found.put(new String(c.key()), op);
                    k = Math.max(k, op + 1);
                }
            }
            // The image's point k: past its newest put, and within the checkpoint call.
            assertTrue(k <= after, "round " + round + ": image holds op " + (k - 1) + ", only " + after + " were done");
            long lo = Math.max(k, before);
            boolean matched = false;
            for (long point = lo; point <= after && !matched; point++) {
                matched = matches(found, point);
            }
            assertTrue(matched, "round " + round + ": the image is no prefix of the history in [" + lo + ", " + after
                    + "] (" + found.size() + " keys)");
        }
    }

    private static boolean matches(Map<String, Long> found, long point) {
        int live = 0;
        for (long j = 0; j < KEYS; j++) {
            // The last op on key j before point.
            long last = point - 1 - Math.floorMod(point - 1 - j, KEYS);
            String key = new String(key(j));
            if (last < 0 || isDelete(last)) {
                if (found.containsKey(key)) {
                    return false;
                }
            } else {
                Long op = found.get(key);
                if (op == null || op != last) {
                    return false;
                }
                live++;
            }
        }
        return live == found.size();
    }
}
