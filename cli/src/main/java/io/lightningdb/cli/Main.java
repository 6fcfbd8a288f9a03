package io.lightningdb.cli;

import io.lightningdb.ProgressListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code lightning <command> [options]} (picocli). Every command writes its output to stdout and
 * errors as one line on stderr; docs/cli.md lists the commands and the exit codes.
 *
 * {@snippet :
 * int code = Main.run(new String[] {"get", "--db", "data", "user:1"}, System.out, System.err);
 * }
 */
@Command(name = "lightning", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = Main.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Lightning DB: an embedded, transactional, ordered key-value database.",
        subcommands = {KeyCommands.Get.class, KeyCommands.Put.class, KeyCommands.Delete.class, ScanCommand.class,
            StatsCommand.class, CheckCommand.class, CompactCommand.class, ConfigCommand.class, BenchCommand.class, Demo.class, SelfCheck.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {" 0:success", " 1:the command failed (the message says why)",
            " 2:check found damage", " 3:get: the key is absent", "64:bad usage (unknown command or option, bad value)"},
        footer = {"", "Run 'lightning <command> --help' for a command's options; docs/cli.md has them all."})
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_DAMAGED = 2;
    public static final int EXIT_ABSENT = 3;
    public static final int EXIT_USAGE = 64;

    /** Off a terminal, long work prints a plain progress line this often. */
    static final long PLAIN_PROGRESS_NANOS = 5_000_000_000L;
    /** Held so the level set on it stays (the log manager keeps loggers weakly). */
    private static final Logger ENGINE_LOG = Logger.getLogger("io.lightningdb");

    @Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * The engine's INFO and DEBUG lines (I/O backend chosen, recovery, configuration changes) only
     * when asked: through a handler of their own, since the JDK's console handler drops DEBUG.
     */
    @Option(names = {"-v", "--verbose"}, description = "also print the database's INFO and DEBUG log lines on stderr")
    void verbose(boolean on) {
        ENGINE_LOG.setLevel(on ? Level.FINE : Level.WARNING);
        ENGINE_LOG.removeHandler(VERBOSE);
        ENGINE_LOG.setUseParentHandlers(!on);
        if (on) {
            ENGINE_LOG.addHandler(VERBOSE);
        }
    }

    /** Where -v sends the engine's lines: stderr, every level from DEBUG (FINE) up. */
    private static final Handler VERBOSE = verboseHandler();

    private static Handler verboseHandler() {
        Handler h = new ConsoleHandler();
        h.setLevel(Level.FINE);
        return h;
    }
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean tty;
    private final long plainProgressNanos;

    private Main(PrintWriter out, PrintWriter err, boolean tty, long plainProgressNanos) {
        this.out = out;
        this.err = err;
        this.tty = tty;
        this.plainProgressNanos = plainProgressNanos;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns its exit code (tests call this directly). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, out == System.out && isTerminal(), PLAIN_PROGRESS_NANOS);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, saying whether out is a terminal and how often to report off one. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean tty, long plainProgressNanos) {
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
        Level before = ENGINE_LOG.getLevel();
        ENGINE_LOG.setLevel(Level.WARNING);
        try {
            CommandLine cl = new CommandLine(new Main(o, e, tty, plainProgressNanos));
            cl.setOut(o).setErr(e).setCaseInsensitiveEnumValuesAllowed(true)
                    .setParameterExceptionHandler(Main::badUsage)
                    .setExecutionExceptionHandler((ex, line, parsed) -> failed(ex, line));
            return cl.execute(args);
        } finally {
            ENGINE_LOG.removeHandler(VERBOSE);
            ENGINE_LOG.setUseParentHandlers(true);
            ENGINE_LOG.setLevel(before);
            o.flush();
            e.flush();
        }
    }

    /** No command given: the usage on stderr, exit 64. */
    @Override
    public void run() {
        spec.commandLine().usage(err);
        throw new ParameterException(spec.commandLine(), "a command is needed");
    }

    private static int badUsage(ParameterException ex, String[] args) {
        CommandLine line = ex.getCommandLine();
        PrintWriter err = line.getErr();
        if (ex instanceof UnmatchedArgumentException u && line.getParent() == null && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            err.println("lightning: unknown command '" + u.getUnmatched().get(0) + "'; run 'lightning --help'");
        } else if (!ex.getMessage().equals("a command is needed")) {
            String name = line.getCommandSpec().qualifiedName();
            err.println(name + ": " + ex.getMessage() + "; see '" + name + " --help'");
        }
        err.flush();
        return EXIT_USAGE;
    }

    private static int failed(Exception ex, CommandLine line) {
        PrintWriter err = line.getErr();
        String msg = ex.getMessage() != null ? ex.getMessage() : ex.getClass().getName();
        err.println(line.getCommandSpec().qualifiedName() + ": " + msg);
        err.flush();
        return EXIT_FAILED;
    }

    /** Whether this JVM talks to a terminal (not a pipe or file): progress bars are drawn only then. */
    private static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** The root of {@code spec}'s command line: the streams and terminal every command uses. */
    static Main of(CommandLine.Model.CommandSpec spec) {
        return (Main) spec.root().userObject();
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** A progress display for {@code total} units of {@code label}: a bar on a terminal, periodic lines elsewhere. */
    ProgressBar progress(String label, long total) {
        return new ProgressBar(out, tty, plainProgressNanos, label, total);
    }

    /**
     * A listener for the engine's long operations (compact, verify) drawing {@code label}'s
     * progress; the bar is made at the first report (which carries the total) and cleared at the last.
     */
    ProgressListener progressListener(String label) {
        ProgressBar[] bar = new ProgressBar[1];
        return (done, total) -> {
            if (bar[0] == null) {
                bar[0] = progress(label, total);
            }
            bar[0].update(done);
            if (done == total) {
                bar[0].clear();
            }
        };
    }

    /** The version in the jar's manifest, or "development build" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            // The jar manifest's version on the class path; on the module path a package has no
            // manifest attributes, and the version is the module descriptor's.
            Module module = Main.class.getModule();
            String v = module.isNamed() ? module.getDescriptor().rawVersion().orElse(null)
                    : Main.class.getPackage().getImplementationVersion();
            return new String[] {"Lightning DB " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version()};
        }
    }
}
