package io.lightningdb.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.nio.file.Path;
import java.util.NavigableMap;
import org.junit.jupiter.api.Test;

/** The log's Javadoc examples run, and do what their comments say. */
class WalExamplesTest {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void logAppendRecover() throws Exception {
        Path dir = TestDirs.fresh("examples-wal");
        NavigableMap<byte[], byte[]> tree = WalExamples.newTree();
        WalExamples.lifecycle(dir, 0, tree, b("k1"), b("v1"));
        assertArrayEquals(b("v1"), tree.get(b("k1")));

        NavigableMap<byte[], byte[]> replayed = WalExamples.newTree();
        WalRecovery r = WalExamples.recover(dir, 0, replayed);
        assertEquals(1, r.records());
        assertFalse(r.cut());
        long end = r.endLsn();
        assertArrayEquals(b("v1"), replayed.get(b("k1")));

        try (Wal wal = Wal.open(dir, WalExamples.syncMode(), r.endLsn())) {
            assertTrue(WalExamples.append(wal, new Object(), replayed, b("k2"), b("v2")) > end);
            assertEquals(1.0, WalExamples.stats(wal));
        }
        WalRecovery again = WalExamples.recover(dir, 0, WalExamples.newTree());
        assertEquals(2, again.records());
        assertEquals(0, WalExamples.config(dir, again).appends());
    }

    @Test
    void segmentName() {
        assertEquals(4096, WalExamples.segmentName());
    }
}
