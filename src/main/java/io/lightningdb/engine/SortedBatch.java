package io.lightningdb.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A batch's operations in key order (unsigned bytes), one per key: the last one given for a key
 * wins, as it would applied in order. Sorted once here, the batch is logged and applied in that
 * order, so the store descends once per leaf run and replay does the same.
 */
record SortedBatch(List<byte[]> keys, List<byte[]> values) {

    static SortedBatch of(List<byte[]> keys, List<byte[]> values) {
        int n = keys.size();
        if (ascending(keys)) {
            return new SortedBatch(keys, values);
        }
        byte[][] k = keys.toArray(new byte[0][]);
        long[] heads = new long[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            heads[i] = head(k[i]);
            order[i] = i;
        }
        new Sorter(k, heads).sort(order);
        List<byte[]> sortedKeys = new ArrayList<>(n);
        List<byte[]> sortedValues = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = order[i];
            // Equal keys sit in the order given: keep the last of each run.
            if (i + 1 < n && Arrays.equals(k[at], k[order[i + 1]])) {
                continue;
            }
            sortedKeys.add(k[at]);
            sortedValues.add(values.get(at));
        }
        return new SortedBatch(sortedKeys, sortedValues);
    }

    /** The first 8 bytes, big-endian, zero-padded: as unsigned longs they order as the keys do, ties aside. */
    private static long head(byte[] key) {
        long h = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            h = h << 8 | (i < key.length ? key[i] & 0xFF : 0);
        }
        return h;
    }

    /**
     * A merge sort of indices by (head, key, index): primitive compares for the common case and
     * stable by construction (the index breaks ties), without boxing or a comparator lambda.
     */
    private record Sorter(byte[][] keys, long[] heads) {
        private static final int INSERTION = 16;

        void sort(int[] a) {
            int[] tmp = new int[a.length];
            sort(a, tmp, 0, a.length);
        }

        private void sort(int[] a, int[] tmp, int from, int to) {
            if (to - from <= INSERTION) {
                for (int i = from + 1; i < to; i++) {
                    int x = a[i];
                    int j = i - 1;
                    while (j >= from && less(x, a[j])) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = x;
                }
                return;
            }
            int mid = (from + to) >>> 1;
            sort(a, tmp, from, mid);
            sort(a, tmp, mid, to);
            if (!less(a[mid], a[mid - 1])) {
                return;
            }
            System.arraycopy(a, from, tmp, from, to - from);
            int i = from;
            int j = mid;
            for (int o = from; o < to; o++) {
                a[o] = j >= to || (i < mid && !less(tmp[j], tmp[i])) ? tmp[i++] : tmp[j++];
            }
        }

        private boolean less(int x, int y) {
            int c = Long.compareUnsigned(heads[x], heads[y]);
            if (c == 0) {
                c = Arrays.compareUnsigned(keys[x], keys[y]);
            }
            return c < 0 || (c == 0 && x < y);
        }
    }

    /** Whether {@code keys} are strictly ascending (no duplicates). */
    static boolean ascending(List<byte[]> keys) {
        for (int i = 1; i < keys.size(); i++) {
            if (Arrays.compareUnsigned(keys.get(i - 1), keys.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }
}
