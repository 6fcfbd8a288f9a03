package io.lightningdb.cli;

import io.lightningdb.Database;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code get}, {@code put} and {@code delete}: one key at a time, as text or ({@code --hex}) bytes. */
final class KeyCommands {
    private KeyCommands() {}

    /** The bytes of a key or value argument; a malformed one is bad usage. */
    static byte[] argument(CommandSpec spec, String arg, boolean hex, String what) {
        try {
            return Bytes.parse(arg, hex, what);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** What every one-key command takes: the database, KEY, and whether arguments are hex. */
    abstract static class KeyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DbOptions db;
        @Option(names = "--hex", description = "KEY (and VALUE) are hex; get prints the value as hex")
        boolean hex;
        @Parameters(index = "0", paramLabel = "KEY", description = "the key (UTF-8 text, or hex with --hex)")
        String key;

        byte[] key() {
            return argument(spec, key, hex, "KEY");
        }
    }

    @Command(name = "get", description = {"Prints the value of KEY.",
        "The value is printed bare (no quotes, one line break after it); exit code 3 when the key is absent."})
    static final class Get extends KeyCommand {

        @Override
        public Integer call() {
            byte[] k = key();
            byte[] v;
            try (Database d = db.open(false)) {
                v = d.get(k);
            }
            Main main = Main.of(spec);
            if (v == null) {
                main.err().println(spec.qualifiedName() + ": no key '" + key + "' in " + db.dir);
                return Main.EXIT_ABSENT;
            }
            String text = hex ? Bytes.hex(v) : Bytes.utf8(v);
            if (text == null) {
                throw new IllegalStateException("the value of '" + key + "' (" + v.length
                        + " bytes) is not UTF-8 text; use --hex to print its bytes");
            }
            main.out().println(text);
            return Main.EXIT_OK;
        }
    }

    @Command(name = "put", description = "Sets KEY to VALUE, creating the database if the directory has none.")
    static final class Put extends KeyCommand {
        @Parameters(index = "1", paramLabel = "VALUE", description = "the value (UTF-8 text, or hex with --hex)")
        private String value;

        @Override
        public Integer call() {
            byte[] k = key();
            byte[] v = argument(spec, value, hex, "VALUE");
            try (Database d = db.open(true)) {
                d.put(k, v);
                d.flush();
            }
            return Main.EXIT_OK;
        }
    }

    @Command(name = "delete", description = "Removes KEY; prints 'deleted' or 'absent' (both exit 0).")
    static final class Delete extends KeyCommand {

        @Override
        public Integer call() {
            byte[] k = key();
            boolean present;
            try (Database d = db.open(false)) {
                present = d.contains(k);
                if (present) {
                    d.delete(k);
                    d.flush();
                }
            }
            Main.of(spec).out().println(present ? "deleted" : "absent");
            return Main.EXIT_OK;
        }
    }
}
