package io.lightningdb.nativeio;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.BitSet;

/** The examples in the native bindings' Javadoc, regions of compiled code (NativeExamplesTest runs the libc one). */
final class NativeExamples {
    private NativeExamples() {}

    static void libc(Path path) throws IOCallException {
        // @start region="libc"
        int fd = Libc.open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0644);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(4096, 4096);
            Libc.preadFully(fd, page, 0, path);
        } finally {
            Libc.close(fd, path);
        }
        // @end
    }

    static void numa(long size) throws IOCallException {
        // @start region="numa"
        LibNuma numa = LibNuma.system();
        if (numa.isAvailable() && numa.nodeCount() > 1) {
            MemorySegment slab = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE,
                    Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0, null);
            BitSet node = new BitSet();
            node.set(numa.currentNode());
            numa.bind(slab, LibNuma.MPOL_PREFERRED, node);   // before the first touch
            assert numa.policyOf(slab).mode() == LibNuma.MPOL_PREFERRED;
        } else {
            System.out.println("NUMA placement off: " + numa.unavailableReason());
        }
        // @end
    }

    static int[] ring(int fd) throws IOCallException {
        // @start region="ring"
        try (UringRing ring = UringRing.open(LibUring.system(), 32);
             Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(4096, 4096);
            ring.prepRead(fd, page, 8192, 7);        // user data 7 comes back in the completion
            ring.submitAndWait(1);
            long[] data = new long[1];
            int[] res = new int[1];
            ring.reap(data, res, 1);                 // res[0]: bytes read, or -errno
            // @end
            return res;
        }
    }

    static void uring(int fd, MemorySegment page) throws IOCallException {
        // @start region="uring"
        LibUring uring = LibUring.system();
        if (!uring.isAvailable()) {
            System.err.println("no io_uring: " + uring.unavailableReason());
        } else {
            try (UringRing ring = UringRing.open(uring, 64)) {
                ring.prepRead(fd, page, 0, 1);
                ring.submitAndWait(1);
            }
        }
        // @end
    }

    static void layout(MemorySegment ring, MemorySegment sqe) {
        // @start region="layout"
        int tail = ring.get(JAVA_INT, UringLayout.SQ_SQE_TAIL);
        sqe.set(JAVA_BYTE, UringLayout.SQE_OPCODE, UringLayout.IORING_OP_READ);
        // @end
        assert tail >= 0;
    }
}
