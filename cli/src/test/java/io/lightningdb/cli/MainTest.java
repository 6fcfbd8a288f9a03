package io.lightningdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MainTest {
    static String[] run(int expectedExit, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(expectedExit, code, () -> "stdout: " + out + "\nstderr: " + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        String out = run(0, "--help")[0];
        assertTrue(out.contains("selfcheck") && out.contains("demo") && out.contains("Exit codes:"), out);
    }

    @Test
    void unknownCommandIsOneLineAndExit64() {
        String err = run(64, "frobnicate")[1];
        assertEquals("lightning: unknown command 'frobnicate'; run 'lightning --help'", err.strip());
    }
}
