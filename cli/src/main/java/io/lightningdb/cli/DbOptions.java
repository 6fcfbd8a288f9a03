package io.lightningdb.cli;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.Preset;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of every command that opens a database: where it is and which configuration to
 * open it with. Without {@code --config} or {@code --preset} a command opens the database with the
 * configuration it was last opened with (so a tool run neither changes nor reports a change of
 * what the application set), or the defaults for a new one.
 */
final class DbOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec spec;

    @Option(names = "--db", paramLabel = "DIR", defaultValue = "data", order = 0,
            description = "the database directory (default: ./${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--config", paramLabel = "FILE", order = 1,
            description = "open with this configuration file (default: the one the database was last opened with)")
    Path configFile;

    @Option(names = "--preset", paramLabel = "NAME", order = 2,
            description = "open with this preset: oltp, olap, mixed, write_heavy, read_heavy, memory_constrained, "
                    + "high_memory, ssd, hdd")
    String preset;

    /** The configuration the options ask for. */
    LightningDbConfig config() {
        if (configFile != null && preset != null) {
            throw new ParameterException(spec.commandLine(), "--config and --preset exclude each other; a file may "
                    + "start from a preset with \"preset\": \"NAME\"");
        }
        if (configFile != null) {
            return LightningDbConfig.fromFile(configFile);
        }
        if (preset != null) {
            return presetNamed(spec, preset).builder().build();
        }
        Path remembered = dir.resolve(Database.CONFIG_FILE_NAME);
        if (Files.exists(remembered)) {
            return LightningDbConfig.fromFile(remembered);
        }
        return LightningDbConfig.defaults();
    }

    /** Opens the database; unless {@code create}, one must already be in the directory. */
    Database open(boolean create) {
        LightningDbConfig config = config();
        if (!create) {
            requireDatabase(dir);
        }
        return Database.open(dir, config);
    }

    /** Refuses a directory without a database: commands that only use one never create one. */
    static void requireDatabase(Path dir) {
        if (!Files.exists(dir.resolve(Database.FILE_NAME))) {
            throw new IllegalStateException(dir + ": no database here (no " + Database.FILE_NAME
                    + "); pass --db DIR to name the directory of one");
        }
    }

    static Preset presetNamed(CommandSpec spec, String name) {
        Preset p = Preset.byName(name);
        if (p == null) {
            throw new ParameterException(spec.commandLine(), "unknown preset '" + name + "'; the presets are "
                    + Preset.names());
        }
        return p;
    }
}
