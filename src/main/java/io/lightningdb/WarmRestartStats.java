package io.lightningdb;

import io.lightningdb.engine.WarmRestartFigures;
import java.time.Duration;

/**
 * How far the warm restart ({@code warmRestart}) got in reading back the pages the cache held when
 * the database was last closed (or last listed them), as of a {@link DatabaseStats} snapshot. The
 * reading runs in the background after {@code open}; the application's own reads never wait for it.
 *
 * @param enabled whether the warm restart is on
 * @param listedPages pages the list named (at most the cache's size)
 * @param loadedPages pages read back so far (fewer than listed when the application filled the
 *     cache first, or pages were deleted since)
 * @param finished whether the reading ended, or never began (off, or no list: a new database)
 * @param duration how long the reading took; zero until it ends
 */
public record WarmRestartStats(boolean enabled, long listedPages, long loadedPages, boolean finished, Duration duration) {
    static WarmRestartStats of(WarmRestartFigures f) {
        return new WarmRestartStats(f.enabled(), f.listedPages(), f.loadedPages(), f.finished(), Duration.ofNanos(f.nanos()));
    }
}
