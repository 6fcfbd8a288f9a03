package io.lightningdb.txn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Exclusive key locks for pessimistic transactions ({@code optimisticLocking(false)}): a
 * transaction locks a key when it writes it or reads it for update, and holds the lock until it
 * ends. A waiter gives up at its deadline, and at once when waiting would close a cycle (a
 * deadlock: it follows the chain "the holder of what I wait for waits for ..." and finds itself).
 * Plain writes take no lock; the commit's validation still catches them.
 */
public final class KeyLocks {
    /** How an {@link #acquire} ended. */
    public enum Outcome { ACQUIRED, ALREADY_HELD, TIMED_OUT, DEADLOCK }

    private final ConcurrentHashMap<Key, Lock> locks = new ConcurrentHashMap<>();

    /** One transaction's side: the locks it holds and the one it waits for. */
    public static final class Holder {
        private final List<Key> held = new ArrayList<>();
        private volatile Lock waitingFor;
    }

    private static final class Lock {
        final Holder owner;
        boolean released;

        Lock(Holder owner) {
            this.owner = owner;
        }
    }

    private record Key(byte[] bytes, int hash) {
        Key(byte[] bytes) {
            this(bytes, Arrays.hashCode(bytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** Locks {@code key} (a private copy) for {@code h}, waiting at most {@code timeoutNanos}. */
    public Outcome acquire(byte[] key, Holder h, long timeoutNanos) throws InterruptedException {
        Key k = new Key(key);
        Lock mine = new Lock(h);
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            Lock cur = locks.putIfAbsent(k, mine);
            if (cur == null) {
                h.held.add(k);
                return Outcome.ACQUIRED;
            }
            if (cur.owner == h) {
                return Outcome.ALREADY_HELD;
            }
            h.waitingFor = cur;
            try {
                if (closesCycle(h)) {
                    return Outcome.DEADLOCK;
                }
                synchronized (cur) {
                    while (!cur.released) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return Outcome.TIMED_OUT;
                        }
                        TimeUnit.NANOSECONDS.timedWait(cur, left);
                    }
                }
            } finally {
                h.waitingFor = null;
            }
        }
    }

    /** Whether the holders waited for, followed from {@code h}, come back to {@code h}. */
    private static boolean closesCycle(Holder h) {
        Lock w = h.waitingFor;
        for (int hops = 0; w != null && hops < 10_000; hops++) {
            Holder o = w.owner;
            if (o == h) {
                return true;
            }
            w = o.waitingFor;
        }
        return false;
    }

    /** Releases every lock {@code h} holds and wakes their waiters. */
    public void releaseAll(Holder h) {
        for (Key k : h.held) {
            Lock l = locks.get(k);
            if (l != null && l.owner == h && locks.remove(k, l)) {
                synchronized (l) {
                    l.released = true;
                    l.notifyAll();
                }
            }
        }
        h.held.clear();
    }
}
