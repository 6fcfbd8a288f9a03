package io.lightningdb.txn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The transactions' Javadoc examples run, and do what their comments say. */
class TxnExamplesTest {
    @Test
    void snapshotReadsItsOwnVersion() {
        byte[] key = "k".getBytes(UTF_8);
        TxnExamples ex = new TxnExamples(key, "old".getBytes(UTF_8));
        assertArrayEquals("old".getBytes(UTF_8), ex.snapshotAcrossWrite(key, "new".getBytes(UTF_8)));
        assertEquals(0, TxnExamples.config().openSnapshots());
    }
}
