package io.lightningdb.store;

import java.lang.foreign.MemorySegment;

/** Where a value goes: a destination for {@code len} bytes, or null to stop without copying. */
@FunctionalInterface
public interface ValueTarget {
    MemorySegment prepare(long len);
}
