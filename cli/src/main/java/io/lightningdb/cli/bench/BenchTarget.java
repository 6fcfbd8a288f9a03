package io.lightningdb.cli.bench;

import io.lightningdb.LightningDbConfig;
import java.util.Objects;

/**
 * A config to bench and its name in the results: the base config, or the {@code --vs} one.
 *
 * {@snippet :
 * new BenchTarget("oltp", Preset.byName("oltp").builder().build())
 * }
 */
public record BenchTarget(String label, LightningDbConfig config) {
    /** @throws IllegalArgumentException when the label is blank */
    public BenchTarget {
        Objects.requireNonNull(config, "config");
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("label: must not be blank");
        }
    }
}
