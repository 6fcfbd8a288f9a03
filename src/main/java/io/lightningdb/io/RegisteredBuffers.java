package io.lightningdb.io;

import io.lightningdb.nativeio.UringRing;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An immutable set of memory regions to register with io_uring, cut into the kernel's 1 GiB
 * pieces, and the lookup from a request buffer to the registered index that contains it.
 *
 * <p>Lookups only answer for regions whose memory is still alive: once a region's arena is closed
 * its address range may be reused by other memory, while the kernel keeps the old pages pinned,
 * so a fixed request there would silently move data to the wrong pages.
 */
final class RegisteredBuffers {
    /** Kernel limit on registered buffers per ring (IORING_MAX_REG_BUFFERS). */
    static final int MAX_BUFFERS = 1 << 14;
    /** Kernel limit on one registered buffer. */
    static final long MAX_BUFFER_BYTES = 1L << 30;

    /** In registration order: buffer index i is pieces[i]. */
    private final MemorySegment[] pieces;
    /** Indices into pieces, sorted by start address, and the start addresses in that order. */
    private final int[] byAddress;
    private final long[] starts;

    private RegisteredBuffers(List<MemorySegment> list) {
        pieces = list.toArray(MemorySegment[]::new);
        Integer[] order = new Integer[pieces.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> pieces[i].address()));
        byAddress = new int[order.length];
        starts = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            byAddress[i] = order[i];
            starts[i] = pieces[order[i]].address();
        }
    }

    /**
     * The regions of {@code previous} that are still alive plus {@code added}, cut into pieces of
     * at most 1 GiB.
     *
     * @throws IllegalArgumentException if the kernel's limit of 16384 buffers would be exceeded
     */
    static RegisteredBuffers plus(RegisteredBuffers previous, MemorySegment... added) {
        List<MemorySegment> list = new ArrayList<>();
        Set<Span> seen = new HashSet<>();
        if (previous != null) {
            for (MemorySegment p : previous.pieces) {
                if (p.scope().isAlive() && seen.add(new Span(p.address(), p.byteSize()))) {
                    list.add(p);
                }
            }
        }
        for (MemorySegment region : added) {
            for (long off = 0; off < region.byteSize(); off += MAX_BUFFER_BYTES) {
                MemorySegment piece = region.asSlice(off, Math.min(MAX_BUFFER_BYTES, region.byteSize() - off));
                if (seen.add(new Span(piece.address(), piece.byteSize()))) { // registering twice is a no-op
                    list.add(piece);
                }
            }
        }
        if (list.size() > MAX_BUFFERS) {
            throw new IllegalArgumentException("io_uring registers at most " + MAX_BUFFERS
                    + " buffers (1 GiB each); these regions need " + list.size());
        }
        return new RegisteredBuffers(list);
    }

    /** Address range of a piece, to skip regions registered twice. */
    private record Span(long address, long size) {}

    /** The pieces in registration order, for {@link UringRing#registerBuffers}. */
    MemorySegment[] pieces() {
        return pieces.clone();
    }

    int size() {
        return pieces.length;
    }

    /** The registered index whose piece contains all of {@code buf}, or -1 (then use a plain request). */
    int indexOf(MemorySegment buf) {
        long start = buf.address();
        long end = start + buf.byteSize();
        // The last piece starting at or before buf; pieces of distinct regions do not overlap
        // unless the caller registered overlapping regions, and then missing a match is harmless.
        int i = Arrays.binarySearch(starts, start);
        if (i < 0) {
            i = -i - 2;
        }
        if (i < 0) {
            return -1;
        }
        int index = byAddress[i];
        MemorySegment piece = pieces[index];
        if (end > piece.address() + piece.byteSize() || !piece.scope().isAlive()) {
            return -1;
        }
        return index;
    }
}
