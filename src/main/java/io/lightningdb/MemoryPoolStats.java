package io.lightningdb;

import io.lightningdb.cache.ScratchPages;

/**
 * The engine's off-heap scratch memory outside the cache: the copies a checkpoint keeps of pages
 * changed under it, its page-table buffer and superblock page ({@code enableMemoryPools},
 * {@code memoryPoolSize}; docs/configuration.md says what is pooled and what is not).
 *
 * {@snippet class=io.lightningdb.examples.ConfigExamples region="memoryPools"}
 *
 * @param enabled whether released buffers are kept for reuse
 * @param poolSize the most bytes of released buffers kept
 * @param inUseBytes bytes handed out now
 * @param pooledBytes bytes kept for reuse now (at most {@code poolSize})
 * @param mapped buffers mapped from the kernel since open
 * @param reused buffers handed out again from the pool since open
 */
public record MemoryPoolStats(boolean enabled, long poolSize, long inUseBytes, long pooledBytes, long mapped, long reused) {
    static MemoryPoolStats of(LightningDbConfig config, ScratchPages.Stats s) {
        return new MemoryPoolStats(config.enableMemoryPools(), config.memoryPoolSize(), s.inUseBytes(), s.pooledBytes(),
                s.mapped(), s.reused());
    }
}
