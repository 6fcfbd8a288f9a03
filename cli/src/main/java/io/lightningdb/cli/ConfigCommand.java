package io.lightningdb.cli;

import io.lightningdb.Database;
import io.lightningdb.LightningDbConfig;
import io.lightningdb.Preset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code config show|validate|apply|preset}: configuration files (docs/configuration.md) and the
 * configuration a database remembers ({@code lightning.config.json} in its directory).
 */
@Command(name = "config", description = "Shows, checks and applies configuration files and presets.")
final class ConfigCommand {
    @Spec
    private CommandSpec spec;

    private PrintWriter out() {
        return Main.of(spec).out();
    }

    @Command(name = "show", description = {"Prints the configuration the database in --db was last opened with,",
        "every field explicit."})
    int show(@Option(names = "--db", paramLabel = "DIR", defaultValue = "data",
            description = "the database directory (default: ./${DEFAULT-VALUE})") Path dir) throws IOException {
        Path file = dir.resolve(Database.CONFIG_FILE_NAME);
        if (!Files.exists(file)) {
            throw new IllegalStateException(dir + ": no remembered configuration (no " + Database.CONFIG_FILE_NAME
                    + "); a database writes it when it is opened");
        }
        out().print(LightningDbConfig.fromFile(file).toJson());
        return Main.EXIT_OK;
    }

    @Command(name = "validate", description = {"Checks FILE: prints 'ok' and the fields that differ from the defaults,",
        "or the problem (file, field, what is allowed) with exit code 1."})
    int validate(@Parameters(paramLabel = "FILE", description = "a JSON configuration file") Path file) {
        LightningDbConfig c = LightningDbConfig.fromFile(file);
        List<String> changes = c.differencesFrom(LightningDbConfig.defaults());
        out().println(file + ": ok" + (changes.isEmpty() ? ", every field at its default" : ", differs from the defaults in:"));
        for (String ch : changes) {
            out().println("  " + ch);
        }
        return Main.EXIT_OK;
    }

    @Command(name = "apply", description = {"Opens the database in --db with FILE (checked first), so it remembers it,",
        "and prints what changed since its last open."})
    int apply(@Parameters(paramLabel = "FILE", description = "a JSON configuration file") Path file,
            @Option(names = "--db", paramLabel = "DIR", defaultValue = "data",
                    description = "the database directory (default: ./${DEFAULT-VALUE})") Path dir) {
        LightningDbConfig c = LightningDbConfig.fromFile(file);
        DbOptions.requireDatabase(dir);
        List<String> changes;
        try (Database db = Database.open(dir, c)) {
            changes = db.configChanges();
        }
        out().println("applied " + file + " to " + dir + (changes.isEmpty() ? ": nothing changed" : ":"));
        for (String ch : changes) {
            out().println("  " + ch);
        }
        return Main.EXIT_OK;
    }

    @Command(name = "preset", description = {"Prints preset NAME as a configuration file (every field explicit),",
        "or writes it to --out; without NAME lists the presets."})
    int preset(@Parameters(paramLabel = "NAME", arity = "0..1", description = "oltp, olap, mixed, write_heavy, read_heavy, "
            + "memory_constrained, high_memory, ssd or hdd") String name,
            @Option(names = "--out", paramLabel = "FILE", description = "write it to FILE instead") Path outFile)
            throws IOException {
        if (name == null) {
            if (outFile != null) {
                throw new ParameterException(spec.subcommands().get("preset"), "--out needs a preset NAME");
            }
            for (Preset p : Preset.values()) {
                out().printf("%-20s %s%n", p.fileName(), p.description());
            }
            return Main.EXIT_OK;
        }
        LightningDbConfig c = DbOptions.presetNamed(spec.subcommands().get("preset").getCommandSpec(), name).builder().build();
        if (outFile != null) {
            c.writeTo(outFile);
            out().println("wrote preset " + name + " to " + outFile);
        } else {
            out().print(c.toJson());
        }
        return Main.EXIT_OK;
    }
}
