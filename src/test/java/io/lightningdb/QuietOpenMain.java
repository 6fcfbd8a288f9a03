package io.lightningdb;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.file.Path;

/** A plain embedding program: create, write, read, scan, close, reopen. {@link QuietOpenTest} runs it. */
public final class QuietOpenMain {
    private QuietOpenMain() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        for (int round = 0; round < 2; round++) {
            try (Database db = Database.open(dir)) {
                db.put(("k" + round).getBytes(UTF_8), "v".getBytes(UTF_8));
                if (db.get(("k" + round).getBytes(UTF_8)) == null) {
                    throw new AssertionError("put then get found nothing");
                }
                try (Cursor c = db.scan(null, null)) {
                    while (c.next()) {
                        c.key();
                    }
                }
                db.inTransaction(tx -> tx.put("t".getBytes(UTF_8), "x".getBytes(UTF_8)));
            }
        }
    }
}
