package io.lightningdb.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads this process's mappings and memory use from /proc, to prove memory really went back. */
final class ProcSelf {
    private ProcSelf() {}

    /** Whether [address, address + length) lies inside one mapping of /proc/self/maps. */
    static boolean isMapped(long address, long length) {
        return coverage(address, length) == length;
    }

    /** Whether no byte of [address, address + length) is mapped. */
    static boolean isUnmapped(long address, long length) {
        return coverage(address, length) == 0;
    }

    /** How many bytes of [address, address + length) lie in some mapping. */
    private static long coverage(long address, long length) {
        long end = address + length;
        long covered = 0;
        for (String line : lines(Path.of("/proc/self/maps"))) {
            String range = line.substring(0, line.indexOf(' '));
            int dash = range.indexOf('-');
            long lo = Long.parseUnsignedLong(range.substring(0, dash), 16);
            long hi = Long.parseUnsignedLong(range.substring(dash + 1), 16);
            long from = Math.max(lo, address);
            long to = Math.min(hi, end);
            if (from < to) {
                covered += to - from;
            }
        }
        return covered;
    }

    /** A field of /proc/self/status in bytes, e.g. "VmRSS". */
    static long statusBytes(String field) {
        for (String line : lines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                String kb = line.substring(field.length() + 1).trim().split("\\s+")[0];
                return Long.parseLong(kb) * 1024;
            }
        }
        throw new IllegalStateException(field + " not in /proc/self/status");
    }

    private static java.util.List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
