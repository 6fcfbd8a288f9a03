/**
 * The {@code lightning} command line as a module: {@code java --enable-native-access=io.lightningdb
 * --module-path cli/target/lightning-cli.jar:cli/target/lib -m io.lightningdb.cli <command>}. The
 * jar also runs on the class path ({@code java -jar}, as the {@code ./lightning} launcher starts it).
 *
 * <p>It exports nothing: it is a program, not a library. Besides the API it reads the library's
 * page I/O ({@code io.lightningdb.io}), which the library exports to this module alone:
 * {@code selfcheck} measures each I/O backend through {@code PageIO}. The command classes are
 * opened to picocli, which sets their option fields and calls their constructors reflectively.
 * The bench report's script and style sheet are resources of {@code io.lightningdb.cli.bench},
 * read by that package's own classes, so they need no {@code opens}.
 */
// "requires-automatic": HdrHistogram 2.2.2 has no module descriptor; its module name comes from
// its jar's file name (HdrHistogram-2.2.2.jar).
@SuppressWarnings("requires-automatic")
module io.lightningdb.cli {
    requires io.lightningdb;
    requires info.picocli;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires HdrHistogram;
    // -v: the engine's log lines through a console handler of their own.
    requires java.logging;

    opens io.lightningdb.cli to info.picocli;
}
