package io.lightningdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts and deletes applied together by {@link Database#write}: a reader of several keys
 * ({@code multiGet}) sees all of them or none. Arguments are checked as they are added, so a
 * batch that reaches {@code write} is valid. Not thread-safe.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="batch"}
 */
public final class WriteBatch {
    private final int maxKeySize;
    final List<byte[]> keys = new ArrayList<>();
    /** null marks a delete. */
    final List<byte[]> values = new ArrayList<>();

    WriteBatch(int maxKeySize) {
        this.maxKeySize = maxKeySize;
    }

    /** Adds a put; the arrays are copied, so the caller may reuse them. */
    public WriteBatch put(byte[] key, byte[] value) {
        Arguments.checkKey(key, maxKeySize);
        Arguments.checkValue(value);
        keys.add(key.clone());
        values.add(value.clone());
        return this;
    }

    /** Adds a delete. */
    public WriteBatch delete(byte[] key) {
        Arguments.checkKey(key, maxKeySize);
        keys.add(key.clone());
        values.add(null);
        return this;
    }

    public int size() {
        return keys.size();
    }

    public void clear() {
        keys.clear();
        values.clear();
    }
}
