package io.lightningdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lightningdb.testing.TestDirs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every preset builds, changes something, and runs a small workload: writes, a transaction, reads, a scan, a reopen. */
class PresetTest {
    @ParameterizedTest
    @EnumSource(Preset.class)
    void opensAndRunsAWorkload(Preset preset) {
        LightningDbConfig c = preset.builder().build();
        assertNotEquals(0, c.differencesFrom(LightningDbConfig.defaults()).size(),
                preset + " changes at least one knob");
        assertEquals(c.toString(), LightningDbConfig.fromJson("{\"preset\": \"" + preset.fileName() + "\"}", Path.of("p.json")).toString());
        Path dir = TestDirs.fresh("preset-" + preset.fileName());
        try (Database db = Database.open(dir, c)) {
            for (int i = 0; i < 5000; i++) {
                db.put(key(i), ByteBuffer.allocate(40).putInt(i).array());
            }
            db.inTransaction(tx -> {
                tx.put(key(1), tx.get(key(2)));
                tx.delete(key(3));
            });
            assertEquals(2, ByteBuffer.wrap(db.get(key(1))).getInt());
            int n = 0;
            try (Cursor cur = db.scan(key(100), key(200))) {
                while (cur.next()) {
                    n++;
                }
            }
            assertEquals(100, n);
            assertTrue(db.verify().isEmpty());
        }
        try (Database db = Database.open(dir, c)) {
            assertEquals(4999, db.stats().keys());
            assertArrayEquals(ByteBuffer.allocate(40).putInt(4999).array(), db.get(key(4999)));
        }
    }

    static byte[] key(int i) {
        return ("key-" + String.format("%06d", i)).getBytes();
    }
}
