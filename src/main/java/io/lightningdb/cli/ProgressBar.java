package io.lightningdb.cli;

import java.io.PrintStream;

/**
 * One phase's progress on a terminal: a bar redrawn in place with a carriage return, at most ten
 * times a second. Off a terminal (a pipe, a log file, a test) it draws nothing, so the output
 * there holds only the phase's summary line instead of hundreds of overwritten ones.
 *
 * <pre>{@code
 * ProgressBar bar = new ProgressBar(out, tty, "load", n);
 * for (long i = 0; i < n; i++) { work(i); bar.update(i + 1); }
 * bar.clear();   // the summary line goes where the bar was
 * }</pre>
 */
final class ProgressBar {
    private static final long REDRAW_NANOS = 100_000_000L;
    /** Checking the clock on every call would cost more than a cached get: look every 256 updates. */
    private static final int CHECK_MASK = 255;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean tty;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw = start;
    private int drawnChars;

    ProgressBar(PrintStream out, boolean tty, String label, long total) {
        this.out = out;
        this.tty = tty;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Reports {@code done} operations of the total; redraws when a tenth of a second has passed. */
    void update(long done) {
        if (!tty || (done & CHECK_MASK) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        int filled = (int) (WIDTH * Math.min(done, total) / total);
        double rate = done / ((now - start) / 1e9);
        String line = String.format("  %-12s [%s%s] %3d%%  %,d/%,d  %,.0f ops/s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), 100 * Math.min(done, total) / total, done, total, rate);
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
