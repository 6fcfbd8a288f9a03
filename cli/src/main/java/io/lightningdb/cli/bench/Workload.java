package io.lightningdb.cli.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a bench run does after loading its keys: the operation mix and how keys are chosen. YCSB's
 * core workloads A to F keep YCSB's proportions and request distributions (zipfian with constant
 * 0.99; "latest" for D); the four plain workloads are for quick checks of one kind of operation.
 *
 * {@snippet :
 * Workload w = Workload.byName("a");      // YCSB A: 50% read, 50% update, zipfian
 * w.proportion(OpType.READ)               // 0.5
 * }
 */
public enum Workload {
    /** YCSB A, update heavy: 50% read, 50% update, zipfian. */
    A(Distribution.ZIPFIAN, 0.50, 0.50, 0, 0, 0),
    /** YCSB B, read mostly: 95% read, 5% update, zipfian. */
    B(Distribution.ZIPFIAN, 0.95, 0.05, 0, 0, 0),
    /** YCSB C, read only: 100% read, zipfian. */
    C(Distribution.ZIPFIAN, 1.00, 0, 0, 0, 0),
    /** YCSB D, read latest: 95% read (skewed to the newest keys), 5% insert. */
    D(Distribution.LATEST, 0.95, 0, 0.05, 0, 0),
    /** YCSB E, short ranges: 95% scan (1 to 100 entries, zipfian start), 5% insert. */
    E(Distribution.ZIPFIAN, 0, 0, 0.05, 0.95, 0),
    /** YCSB F, read-modify-write: 50% read, 50% read-modify-write, zipfian. */
    F(Distribution.ZIPFIAN, 0.50, 0, 0, 0, 0.50),
    /** Inserts of new keys only (after the load phase, so the tree keeps growing), uniform. */
    LOAD(Distribution.UNIFORM, 0, 0, 1.00, 0, 0),
    /** Gets only, uniform over the loaded keys. */
    READ(Distribution.UNIFORM, 1.00, 0, 0, 0, 0),
    /** Range scans only (1 to 100 entries), uniform start. */
    SCAN(Distribution.UNIFORM, 0, 0, 0, 1.00, 0),
    /** 70% read, 30% update, uniform: a plain mix without YCSB's skew. */
    MIXED(Distribution.UNIFORM, 0.70, 0.30, 0, 0, 0);

    /** How the key of a read, update, scan start or read-modify-write is picked. */
    public enum Distribution {
        /** Every existing key alike. */
        UNIFORM,
        /** YCSB's scrambled zipfian (constant 0.99): a few keys, spread over the key space, are hot. */
        ZIPFIAN,
        /** YCSB's "latest": zipfian over recency, so the newest inserted keys are hottest. */
        LATEST
    }

    private final Distribution distribution;
    private final double[] proportions;

    Workload(Distribution distribution, double read, double update, double insert, double scan, double rmw) {
        this.distribution = distribution;
        this.proportions = new double[] {read, update, insert, scan, rmw};
    }

    /** The key distribution of the requests. */
    public Distribution distribution() {
        return distribution;
    }

    /** The share of {@code op} in the mix, 0 to 1; the shares add up to 1. */
    public double proportion(OpType op) {
        return proportions[op.ordinal()];
    }

    /** The lower-case name used on the command line and in JSON: "a" ... "f", "load", "read", "scan", "mixed". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mix as text, for tables and docs: "50% read, 50% update (zipfian)". */
    public String describe() {
        String mix = Arrays.stream(OpType.values()).filter(op -> proportion(op) > 0)
                .map(op -> Math.round(proportion(op) * 100) + "% " + op.label()).collect(Collectors.joining(", "));
        return mix + " (" + distribution.name().toLowerCase(Locale.ROOT) + ")";
    }

    /**
     * The workload named {@code name}, case-insensitive ("A", "ycsb-a" and "a" are YCSB A).
     *
     * @throws IllegalArgumentException naming the allowed names when there is none such
     */
    public static Workload byName(String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        if (n.startsWith("YCSB-") || n.startsWith("YCSB_")) {
            n = n.substring(5);
        }
        for (Workload w : values()) {
            if (w.name().equals(n)) {
                return w;
            }
        }
        throw new IllegalArgumentException("workload: unknown '" + name + "'; allowed: " + names());
    }

    /** All names, for messages and help. */
    public static String names() {
        return Arrays.stream(values()).map(Workload::label).collect(Collectors.joining(", "));
    }
}
