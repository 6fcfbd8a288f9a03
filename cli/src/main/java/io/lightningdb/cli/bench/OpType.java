package io.lightningdb.cli.bench;

import java.util.Locale;

/**
 * The kinds of operation a workload issues; each has its own latency histogram.
 *
 * {@snippet :
 * OpType.READ_MODIFY_WRITE.label()   // "read-modify-write", the name in tables and JSON
 * }
 */
public enum OpType {
    /** A get of a key that must exist (a miss counts as an error). */
    READ,
    /** A put that replaces the value of an existing key. */
    UPDATE,
    /** A put of a new key (the load phase, and the inserts of YCSB D and E). */
    INSERT,
    /** A range scan of 1 to {@link BenchSpec#maxScanLength()} entries from a chosen key. */
    SCAN,
    /** A get then a put of the same key (YCSB F), timed as one operation. */
    READ_MODIFY_WRITE;

    /** The name used in tables, JSON and the report: lower case, words joined by '-'. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
