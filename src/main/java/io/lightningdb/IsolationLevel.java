package io.lightningdb;

/**
 * How much a transaction is protected from concurrent commits.
 *
 * {@snippet class=io.lightningdb.examples.TransactionExamples region="serializable"}
 */
public enum IsolationLevel {
    /**
     * Reads see the snapshot taken at begin plus the transaction's own writes; a commit is refused
     * when a key it writes was changed by a commit made after the snapshot (first committer wins),
     * so updates are never lost. Two transactions that read overlapping keys and write disjoint
     * ones may both commit (write skew).
     */
    SNAPSHOT,
    /**
     * Like SNAPSHOT, and a commit is also refused when a key the transaction read, or a key in a
     * range it scanned (as far as it scanned), was changed (or appeared) since its snapshot: the
     * outcome is as if transactions ran one at a time in commit order. No write skew, no phantoms.
     */
    SERIALIZABLE
}
