package io.lightningdb.btree;

/** Child-JVM entry point for {@link KeySearchTest}: prints which search select(true) gives. */
public final class SelectMain {
    static final String RESULT_PREFIX = "select(true)=";

    private SelectMain() {}

    public static void main(String[] args) {
        System.out.println(RESULT_PREFIX + KeySearch.select(true).name());
    }
}
