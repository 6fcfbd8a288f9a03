package io.lightningdb.cache;

import io.lightningdb.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Anonymous NORESERVE mappings: address space that costs nothing until a page of it is touched.
 * The pool's per-page arrays (state words, dirty bytes, policy flags, access counts) are sized
 * for every page the file may ever have, so only the pages actually used occupy memory.
 */
final class Reservations {
    private Reservations() {}

    static MemorySegment reserve(long bytes) throws IOException {
        int flags = Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE;
        return Libc.mmap(bytes, Libc.PROT_READ | Libc.PROT_WRITE, flags, -1, 0, null);
    }

    /** Unmaps every non-null mapping, even when one of them fails; the first failure is thrown. */
    static void release(MemorySegment... mappings) throws IOException {
        IOException first = null;
        for (MemorySegment m : mappings) {
            if (m == null) {
                continue;
            }
            try {
                Libc.munmap(m);
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
