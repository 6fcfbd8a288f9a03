package io.lightningdb.cli;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code lightning <command> [options]}. Errors are one line on stderr and a non-zero exit code:
 * 0 success, 1 the command failed, 64 bad usage.
 */
public final class Main {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 64;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs a command and returns its exit code (tests call this directly). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return args.length == 0 ? EXIT_USAGE : EXIT_OK;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> Demo.run(rest, out, err, out == System.out && isTerminal());
                case "selfcheck" -> SelfCheck.run(rest, out, err);
                default -> {
                    err.println("lightning: unknown command '" + args[0] + "'; run 'lightning --help'");
                    yield EXIT_USAGE;
                }
            };
        } catch (UsageException e) {
            err.println("lightning " + args[0] + ": " + e.getMessage());
            return EXIT_USAGE;
        } catch (Exception e) {
            err.println("lightning " + args[0] + ": " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    /** Whether this JVM talks to a terminal (not a pipe or file): progress bars are drawn only then. */
    private static boolean isTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    static void usage(PrintStream out) {
        out.println("""
                usage: lightning <command> [options]

                commands:
                  demo      [--dir DIR] [--keys N]
                            load 1,000,000 keys into ./data with a progress bar, read them at
                            random, scan ranges, delete a tenth; throughput per phase and
                            db.stats(). A second run reopens ./data and checks what the first left
                  selfcheck [--dir DIR] [--file-size MiB] [--seconds S]
                            native features found here (libc, io_uring, O_DIRECT, NUMA, SIMD)
                            and measured 4K random-read IOPS per I/O backend
                  test      (launcher only) run the test suite

                exit codes: 0 ok, 1 the command failed, 64 bad usage""");
    }

    /** The value of option {@code name}, {@code args[i]}; bad usage when the option ends the line. */
    static String optionValue(String[] args, int i, String name) throws UsageException {
        if (i >= args.length) {
            throw new UsageException("option " + name + " needs a value");
        }
        return args[i];
    }

    /** Bad arguments: reported as one line and exit code 64. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
