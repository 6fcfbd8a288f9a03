/**
 * The public API's Javadoc examples: every {@code {@snippet class=... region=...}} in
 * {@code io.lightningdb} is a region of a class here, so the examples are compiled with the tests
 * and run by {@link io.lightningdb.examples.ApiExamplesTest}; an example that goes stale fails the
 * build. The Javadoc tool finds them with {@code --snippet-path src/test/java} (root pom).
 */
package io.lightningdb.examples;
