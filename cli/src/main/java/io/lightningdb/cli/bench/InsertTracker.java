package io.lightningdb.cli.bench;

import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which key numbers surely exist while inserts run in several threads (YCSB's acknowledged
 * counter): numbers are claimed in order but inserts finish out of order, and a read may only ask
 * for a key whose insert has returned, or its miss would be a false error.
 *
 * {@snippet :
 * long i = tracker.claim();  db.put(Keys.key(i), v);  tracker.done(i);
 * long n = tracker.limit();  // keys 0..n-1 all exist
 * }
 */
final class InsertTracker {
    private final AtomicLong next;
    private final TreeSet<Long> finishedAhead = new TreeSet<>();
    private volatile long limit;

    /** Keys 0 to {@code existing} - 1 exist already. */
    InsertTracker(long existing) {
        this.next = new AtomicLong(existing);
        this.limit = existing;
    }

    /** The next key number to insert. */
    long claim() {
        return next.getAndIncrement();
    }

    /** The insert of {@code index} has returned (even if it failed: the failure is counted where it happened). */
    synchronized void done(long index) {
        if (index != limit) {
            finishedAhead.add(index);
            return;
        }
        long l = limit + 1;
        while (!finishedAhead.isEmpty() && finishedAhead.first() == l) {
            finishedAhead.pollFirst();
            l++;
        }
        limit = l;
    }

    /** Every key number below this one has been inserted. */
    long limit() {
        return limit;
    }
}
