package io.lightningdb.cli.bench;

import java.util.SplittableRandom;

/**
 * Picks the number of an existing key by the workload's request distribution. Zipfian ranks run
 * over the loaded keys (YCSB sizes its generator the same way and skips keys not yet inserted);
 * "latest" counts back from the newest key whose insert has returned, so reads never ask for a key
 * that may not exist yet.
 *
 * {@snippet :
 * KeyChooser keys = new KeyChooser(Workload.Distribution.ZIPFIAN, spec.keyCount(), tracker);
 * long index = keys.existing(random);
 * }
 */
final class KeyChooser {
    private final Workload.Distribution distribution;
    private final InsertTracker tracker;
    /** Null for uniform: computing zeta for many keys is wasted there. */
    private final Zipfian zipfian;

    KeyChooser(Workload.Distribution distribution, long loadedKeys, InsertTracker tracker) {
        this.distribution = distribution;
        this.tracker = tracker;
        this.zipfian = distribution == Workload.Distribution.UNIFORM ? null
                : new Zipfian(loadedKeys, Zipfian.YCSB_CONSTANT);
    }

    long existing(SplittableRandom random) {
        return switch (distribution) {
            case UNIFORM -> random.nextLong(tracker.limit());
            case ZIPFIAN -> zipfian.scrambled(random.nextDouble());
            // The rank is below the loaded count, which is at most the limit: never negative.
            case LATEST -> tracker.limit() - 1 - zipfian.rank(random.nextDouble());
        };
    }
}
