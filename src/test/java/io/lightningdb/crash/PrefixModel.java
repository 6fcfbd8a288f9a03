package io.lightningdb.crash;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The expected content after ops [0, applied) of a {@link History}, kept incrementally, and the
 * check of a recovered database against it: is the content the state after ops [0, k) for some k
 * in a window? The model only moves forward; {@link #match} leaves it at the k found, which is
 * where the next writer continues.
 *
 * <p>Matching walks the window once: it keeps the set of keys where model and content differ and
 * updates it per op, so a window of n ops over m keys costs O(m + n log m), not O(n m).
 */
final class PrefixModel {
    private final History history;
    /** Key name to {@link History#ref} of the write that set it. */
    private final TreeMap<String, Long> state = new TreeMap<>();
    private long applied;

    PrefixModel(History history) {
        this.history = history;
    }

    /** The model is the state after ops [0, applied()). */
    long applied() {
        return applied;
    }

    NavigableMap<String, Long> state() {
        return Collections.unmodifiableNavigableMap(state);
    }

    void advanceTo(long k) {
        if (k < applied) {
            throw new IllegalArgumentException("the model is at " + applied + " ops and cannot go back to " + k);
        }
        while (applied < k) {
            applyNext(null, null);
        }
    }

    /**
     * The outcome of a match: {@code k >= 0} when the content is the state after [0, k); else
     * {@code firstDiff*} describe the first differing key at the window's low end and
     * {@code closestK}/{@code closestDiffs} the prefix (from the model's start to the window's high
     * end) the content is nearest to.
     */
    record Match(long k, long lo, long hi, String firstDiffKey, Long expectedRef, Long foundRef, long closestK,
            int closestDiffs) {
        boolean matched() {
            return k >= 0;
        }

        String describe() {
            if (matched()) {
                return "content is the state after ops [0, " + k + ")";
            }
            return "content is not the state after ops [0, k) for any k in [" + lo + ", " + hi + "]; at k=" + lo
                    + " the first differing key is '" + firstDiffKey + "': expected " + History.describe(expectedRef)
                    + ", found " + History.describe(foundRef) + "; the closest prefix (latest of ties) is k=" + closestK + " with "
                    + closestDiffs + " keys differing";
        }
    }

    /**
     * Finds the smallest k in [lo, hi] whose state equals {@code content} (key name to ref, as
     * {@link History#decode} gives) and advances the model to it. Without a match the model ends at
     * hi and must not be used again.
     */
    Match match(SortedMap<String, Long> content, long lo, long hi) {
        if (lo < applied || hi < lo) {
            throw new IllegalArgumentException("window [" + lo + ", " + hi + "] must lie at or after the model's "
                    + applied + " ops");
        }
        TreeSet<String> differing = new TreeSet<>();
        for (Map.Entry<String, Long> e : state.entrySet()) {
            if (!e.getValue().equals(content.get(e.getKey()))) {
                differing.add(e.getKey());
            }
        }
        for (String key : content.keySet()) {
            if (!state.containsKey(key)) {
                differing.add(key);
            }
        }
        long closestK = applied;
        int closestDiffs = differing.size();
        String firstKey = null;
        Long expected = null;
        Long found = null;
        while (true) {
            if (applied >= lo) {
                if (differing.isEmpty()) {
                    return new Match(applied, lo, hi, null, null, null, applied, 0);
                }
                if (firstKey == null) {
                    firstKey = differing.first();
                    expected = state.get(firstKey);
                    found = content.get(firstKey);
                }
            }
            if (differing.size() <= closestDiffs) {
                closestK = applied;
                closestDiffs = differing.size();
            }
            if (applied >= hi) {
                return new Match(-1, lo, hi, firstKey, expected, found, closestK, closestDiffs);
            }
            applyNext(content, differing);
        }
    }

    /** Applies op {@code applied}; with a content, keeps {@code differing} up to date for the keys it touched. */
    private void applyNext(SortedMap<String, Long> content, TreeSet<String> differing) {
        History.Op op = history.op(applied);
        for (History.Write w : op.writes()) {
            String key = History.keyName(w.keyId());
            if (w.isDelete()) {
                state.remove(key);
            } else {
                state.put(key, History.ref(op.index(), w.sub()));
            }
            if (content != null) {
                if (Objects.equals(state.get(key), content.get(key))) {
                    differing.remove(key);
                } else {
                    differing.add(key);
                }
            }
        }
        applied++;
    }
}
