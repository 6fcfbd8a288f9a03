package io.lightningdb.cli;

import java.io.PrintWriter;

/**
 * One phase's progress. On a terminal: a bar redrawn in place with a carriage return, at most ten
 * times a second. Off a terminal (a pipe, a log file, CI): a plain line every few seconds, so a
 * log shows the work moving without hundreds of overwritten lines.
 *
 * {@snippet :
 * ProgressBar bar = main.progress("load", n);
 * for (long i = 0; i < n; i++) { work(i); bar.update(i + 1); }
 * bar.clear();   // the summary line goes where the bar was
 * }
 */
final class ProgressBar {
    private static final long REDRAW_NANOS = 100_000_000L;
    /** Checking the clock on every call would cost more than a cached get: look every 256 units. */
    private static final int CHECK_EVERY = 256;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final boolean tty;
    private final long plainNanos;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw = start;
    private long checkedAt;
    private int drawnChars;

    /**
     * @param plainNanos off a terminal, how often a plain line is printed
     */
    ProgressBar(PrintWriter out, boolean tty, long plainNanos, String label, long total) {
        this.out = out;
        this.tty = tty;
        this.plainNanos = plainNanos;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Reports {@code done} units of the total; draws when the interval has passed. */
    void update(long done) {
        update(done, done);
    }

    /** As {@link #update(long)}, with the rate shown from {@code operations} (when units are not operations). */
    void update(long done, long operations) {
        if (done - checkedAt < CHECK_EVERY && done < total) {
            return;
        }
        checkedAt = done;
        long now = System.nanoTime();
        if (now - lastDraw < (tty ? REDRAW_NANOS : plainNanos)) {
            return;
        }
        lastDraw = now;
        long shown = Math.min(done, total);
        double rate = operations / ((now - start) / 1e9);
        if (!tty) {
            out.printf("  %s: %d%%  %,d/%,d  %,.0f/s%n", label, 100 * shown / total, done, total, rate);
            return;
        }
        int filled = (int) (WIDTH * shown / total);
        String line = String.format("  %-12s [%s%s] %3d%%  %,d/%,d  %,.0f ops/s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * shown / total, done, total, rate);
        // Pad over a longer previous line, so no digits of it are left behind.
        out.print("\r" + line + " ".repeat(Math.max(0, drawnChars - line.length())));
        out.flush();
        drawnChars = line.length();
    }

    /** Erases the bar, leaving the cursor at the start of its line. */
    void clear() {
        if (drawnChars > 0) {
            out.print("\r" + " ".repeat(drawnChars) + "\r");
            out.flush();
            drawnChars = 0;
        }
    }
}
