/**
 * Transactions: snapshots, old versions, and the checks a commit must pass. The tree holds one
 * (the newest) version of each key; this package keeps the versions a snapshot may still need and
 * decides what a snapshot sees. Uses nothing of the API package; the engine calls it from writers
 * that run alone (its writer gate) while snapshots are open, and lock-free on the read path.
 *
 * {@snippet class=io.lightningdb.txn.TxnExamples region="protocol"}
 *
 * <p><b>Isolation.</b> A commit is validated with every other writer out, so commits are serial and each
 * happens at one stamp. SNAPSHOT: a write to a key that a write after the snapshot changed is a
 * conflict (first committer wins). SERIALIZABLE: also every key read and every range scanned (the
 * part the scan got through) must be unchanged since the snapshot, so the transaction's reads
 * still held when it committed: it is as if it ran alone at its commit point. Read-only
 * transactions read a prefix of the commit order and need no check.
 *
 * <p><b>Memory.</b> Old versions are on the heap, counted in bytes, and dropped as soon as no open
 * snapshot is older than them (the snapshot registry plays the epoch's part: a version leaves when
 * every reader that could see it has gone). Past {@code maxVersionBytes} the oldest snapshot is
 * aborted and its versions dropped; its transaction's next call says why.
 */
package io.lightningdb.txn;
