package io.lightningdb;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration a database was last opened with, kept beside its data file as JSON (the
 * format of configuration files, so {@code lightning config show} and {@link
 * LightningDbConfig#fromFile} read it), so an open with another configuration can say what changed.
 * Losing it loses nothing but that report: a problem reading or writing it is a warning, never a
 * refused open.
 */
final class RememberedConfig {
    static final String FILE_NAME = Database.CONFIG_FILE_NAME;
    /** {@link ConfigJson#write} writes here first, then renames. */
    static final String TEMP_NAME = FILE_NAME + ".tmp";
    private static final System.Logger LOG = System.getLogger("io.lightningdb");

    private RememberedConfig() {}

    /**
     * Compares {@code config} with the one remembered in {@code dir}, then remembers {@code
     * config}. Returns the differences, "name: last -> now"; empty for a {@code created} database
     * (a file a lost database left behind says nothing about this one).
     */
    static List<String> update(Path dir, LightningDbConfig config, boolean created) {
        Path file = dir.resolve(FILE_NAME);
        List<String> changes = List.of();
        if (!created && Files.exists(file)) {
            try {
                changes = config.differencesFrom(ConfigJson.read(file));
            } catch (ConfigFileException e) {
                LOG.log(Level.WARNING, "{0}: the remembered configuration cannot be compared and is replaced: {1}", dir,
                        e.getMessage());
            }
        }
        if (!changes.isEmpty()) {
            LOG.log(Level.INFO, "{0}: opened with another configuration than last time: {1}", dir,
                    String.join("; ", changes));
        }
        try {
            config.writeTo(file);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: cannot remember the configuration in {1}: {2}", dir, FILE_NAME, e.toString());
        }
        return changes;
    }
}
