package io.lightningdb;

/**
 * How {@link Database#parallelScan} hands entries to its action.
 *
 * {@snippet class=io.lightningdb.examples.DatabaseExamples region="parallelScan"}
 */
public enum ScanOrder {
    /**
     * In ascending key order, on the calling thread: the parts are read by the scan threads side by
     * side and handed over one after another, a bounded number of entries buffered at a time.
     */
    KEY_ORDER,
    /**
     * As the scan threads read them, from several threads at once (the action must be thread-safe);
     * within one part in ascending order. The faster mode: nothing is buffered or handed over.
     */
    ANY_ORDER
}
