package io.lightningdb.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** The examples in the page I/O Javadoc, regions of compiled code (IoExamplesTest runs those that need no io_uring). */
final class IoExamples {
    private IoExamples() {}

    static String open(Path dir) throws IOException {
        // @start region="open"
        try (PageIO io = PageIOs.open(dir.resolve("db.pages"), 4096, IoConfig.defaults())) {
            System.out.println("using " + io.backend() + (io.directIo() ? " with O_DIRECT" : ""));
            // @end
            return io.backend().toString();
        }
    }

    static void readWrite(Path path) throws IOException {
        // @start region="readWrite"
        try (PageIO io = PageIOs.open(path, 4096, IoConfig.defaults());
             Arena arena = Arena.ofConfined()) {
            MemorySegment page = arena.allocate(4096, 4096);
            io.preallocate(0, 1 << 20);
            io.write(8192, page);
            io.read(8192, page);
            io.sync();
        }
        // @end
    }

    static void batch(PageIO io, long[] offsets, MemorySegment[] frames) throws IOException {
        // @start region="batch"
        PageBatch batch = new PageBatch(32);
        for (int i = 0; i < 32; i++) batch.read(offsets[i], frames[i]);
        io.execute(batch);   // up to the queue depth in flight at once on io_uring
        // @end
    }

    static void uring(Path path) throws IOException {
        // @start region="uring"
        IoConfig config = IoConfig.builder().backend(PageIOBackend.URING).ioUringQueueDepth(64).build();
        try (UringPageIO io = UringPageIO.open(path, 4096, config);
             Arena arena = Arena.ofShared()) {
            MemorySegment frames = arena.allocate(64 * 4096, 4096);
            io.registerBuffers(frames);                 // optional: READ_FIXED/WRITE_FIXED from now on
            PageBatch batch = new PageBatch(64);
            for (int i = 0; i < 64; i++) batch.read(i * 4096L, frames.asSlice(i * 4096L, 4096));
            io.execute(batch);                          // 64 reads in flight at once
        }
        // @end
    }

    static IoConfig config() {
        // @start region="config"
        IoConfig io = IoConfig.builder()
                .backend(PageIOBackend.AUTO)
                .useDirectIo(true)
                .ioUringQueueDepth(256)
                .build();
        // @end
        return io;
    }
}
