/**
 * Every foreign-function downcall of Lightning DB: libc, liburing and libnuma through
 * {@code java.lang.foreign}. Nothing outside this package touches {@code Linker}; the rest of the
 * engine calls the plain Java methods here.
 *
 * <p>Each binding probes itself once (library present, symbols found, a harmless call works) and
 * reports {@code isAvailable()} with a reason when it is not, so callers pick a portable fallback
 * instead of crashing. Failed calls become an {@link io.lightningdb.nativeio.IOCallException} that
 * names the call, the errno, the file and the offset.
 */
package io.lightningdb.nativeio;
