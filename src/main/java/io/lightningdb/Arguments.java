package io.lightningdb;

import io.lightningdb.btree.BTree;
import java.util.Arrays;
import java.util.Objects;

/** Checks of keys and values at the API, with the messages that name the limit. */
final class Arguments {
    private Arguments() {}

    static void checkKey(byte[] key, int maxKeySize) {
        Objects.requireNonNull(key, "key");
        Arguments.checkKeyLength(key.length, maxKeySize);
    }

    static void checkKeyLength(long len, int maxKeySize) {
        if (len < 1 || len > maxKeySize) {
            throw new IllegalArgumentException("key of " + len + " bytes is outside [1, " + maxKeySize
                    + "] (maxKeySize " + maxKeySize + ")");
        }
    }

    static void checkValue(byte[] value) {
        Objects.requireNonNull(value, "value");
        Arguments.checkValueLength(value.length);
    }

    static void checkValueLength(long len) {
        if (len > BTree.MAX_VALUE_SIZE) {
            throw new IllegalArgumentException("value of " + len + " bytes exceeds the limit of " + BTree.MAX_VALUE_SIZE);
        }
    }

    /** The smallest key above every key starting with {@code prefix}, or null if there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }
}
