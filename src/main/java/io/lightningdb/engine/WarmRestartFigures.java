package io.lightningdb.engine;

/**
 * How far the warm restart's loading got ({@link CacheWarmer}).
 *
 * @param enabled whether the warm restart is on ({@code warmRestart})
 * @param listedPages pages the list named at open (at most the cache's size)
 * @param loadedPages pages read from it so far
 * @param finished whether the loading ended (or never began: off, or no list)
 * @param nanos how long the loading took; 0 until it ends
 */
public record WarmRestartFigures(boolean enabled, long listedPages, long loadedPages, boolean finished, long nanos) {}
