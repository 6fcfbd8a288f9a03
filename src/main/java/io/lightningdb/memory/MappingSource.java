package io.lightningdb.memory;

import io.lightningdb.nativeio.IOCallException;
import io.lightningdb.nativeio.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where an {@link OffHeapArena}'s mappings come from: anonymous mmap on Linux, or one Java
 * {@link Arena} per mapping where libc is unavailable. Mappings are large (a slab or a big
 * allocation), so the per-mapping cost of either is amortised over many pages.
 */
sealed interface MappingSource permits MappingSource.Mmap, MappingSource.JavaArenas {

    /** A zero-filled mapping of {@code bytes}, aligned to at least {@link OffHeapArena#ALIGNMENT}. */
    MemorySegment map(long bytes);

    /** Returns a mapping from {@link #map} to the operating system. */
    void unmap(MemorySegment mapping);

    /** Whether mappings can be placed on a NUMA node (untouched pages from the kernel). */
    boolean supportsNumaPlacement();

    /** mmap when libc is usable, Java arenas otherwise. */
    static MappingSource best() {
        return Libc.isAvailable() ? new Mmap() : new JavaArenas();
    }

    /** Anonymous private mmap: page-aligned, zero-filled, and untouched until first use. */
    final class Mmap implements MappingSource {
        private static final int PROT = Libc.PROT_READ | Libc.PROT_WRITE;
        private static final int FLAGS = Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS;

        @Override
        public MemorySegment map(long bytes) {
            try {
                return Libc.mmap(bytes, PROT, FLAGS, -1, 0, null);
            } catch (IOCallException e) {
                // Like Arena.allocate when malloc fails: running out of off-heap memory is an OOM.
                OutOfMemoryError oom = new OutOfMemoryError("cannot map " + bytes + " bytes of off-heap memory: "
                        + e.getMessage());
                oom.initCause(e);
                throw oom;
            }
        }

        @Override
        public void unmap(MemorySegment mapping) {
            try {
                Libc.munmap(mapping);
            } catch (IOCallException e) {
                throw new IllegalStateException("munmap of 0x" + Long.toHexString(mapping.address()) + " failed", e);
            }
        }

        @Override
        public boolean supportsNumaPlacement() {
            return true;
        }

        @Override
        public String toString() {
            return "mmap";
        }
    }

    /**
     * The portable fallback: each mapping is its own shared Arena, closed when the mapping is
     * returned. Closing a shared Arena costs a thread handshake, acceptable once per slab.
     */
    final class JavaArenas implements MappingSource {
        private final ConcurrentHashMap<Long, Arena> arenas = new ConcurrentHashMap<>();

        @Override
        public MemorySegment map(long bytes) {
            Arena arena = Arena.ofShared();
            MemorySegment mapping = arena.allocate(bytes, OffHeapArena.ALIGNMENT);
            arenas.put(mapping.address(), arena);
            return mapping;
        }

        @Override
        public void unmap(MemorySegment mapping) {
            Arena arena = arenas.remove(mapping.address());
            if (arena == null) {
                throw new IllegalStateException("0x" + Long.toHexString(mapping.address()) + " is not a mapping of this source");
            }
            arena.close();
        }

        @Override
        public boolean supportsNumaPlacement() {
            return false;
        }

        @Override
        public String toString() {
            return "Java arenas";
        }
    }
}
