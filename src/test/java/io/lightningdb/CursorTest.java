package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Cursor buffers: zero-copy views agree with the copies, and a closed cursor's buffer is not readable. */
class CursorTest {
    static byte[] key(int n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    @Test
    void segmentsMatchCopiesAndClosedCursorsRefuseReads() {
        try (Database db = Database.open(TestDirs.fresh("cursor"))) {
            for (int n = 0; n < 5000; n++) {
                byte[] v = new byte[n % 7 == 0 ? 6000 : 20 + n % 50]; // some overflow values
                ByteBuffer.wrap(v).putInt(0, n);
                db.put(key(n), v);
            }
            Cursor a = db.scan(key(100), key(4000));
            assertTrue(a.next());
            assertArrayEquals(key(100), a.key());
            a.close();
            assertThrows(IllegalStateException.class, a::key, "key() after close");
            assertThrows(IllegalStateException.class, a::valueSegment, "valueSegment() after close");
            assertThrows(IllegalStateException.class, a::next, "next() after close");
            // The next cursor of this thread reuses a's buffer: it must see only its own entries.
            int seen = 0;
            try (Cursor b = db.scanReverse(key(1000), key(3000))) {
                int expect = 2999;
                while (b.next()) {
                    assertArrayEquals(key(expect), b.key());
                    assertArrayEquals(b.key(), b.keySegment().toArray(ValueLayout.JAVA_BYTE));
                    byte[] v = b.value();
                    assertArrayEquals(v, b.valueSegment().toArray(ValueLayout.JAVA_BYTE));
                    assertEquals(expect, ByteBuffer.wrap(v).getInt(0));
                    assertEquals(expect % 7 == 0 ? 6000 : 20 + expect % 50, v.length);
                    expect--;
                    seen++;
                }
                assertFalse(b.next());
            }
            assertEquals(2000, seen);
        }
    }
}
