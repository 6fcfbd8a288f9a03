package io.lightningdb.nativeio;

import static io.lightningdb.nativeio.UringLayout.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks every constant of {@link UringLayout} against the real ABI: a C program compiled against
 * the installed liburing headers prints sizeof/offsetof/enum values, which must equal the Java
 * constants. Without gcc or the headers it checks the fixed kernel ABI sizes only; under CI
 * (env CI=true) both are required.
 */
class UringLayoutTest {
    private static final Path HEADER = Path.of("/usr/include/liburing.h");

    /** C expression to the Java constant that must equal it. */
    private static Map<String, Long> expectations() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("sizeof(struct io_uring)", SIZEOF_IO_URING);
        m.put("_Alignof(struct io_uring)", ALIGNOF_IO_URING);
        m.put("offsetof(struct io_uring, sq)", IO_URING_SQ);
        m.put("offsetof(struct io_uring, sq.khead)", SQ_KHEAD);
        m.put("offsetof(struct io_uring, sq.ktail)", SQ_KTAIL);
        m.put("offsetof(struct io_uring, sq.kflags)", SQ_KFLAGS);
        m.put("offsetof(struct io_uring, sq.kdropped)", SQ_KDROPPED);
        m.put("offsetof(struct io_uring, sq.array)", SQ_ARRAY);
        m.put("offsetof(struct io_uring, sq.sqes)", SQ_SQES);
        m.put("offsetof(struct io_uring, sq.sqe_head)", SQ_SQE_HEAD);
        m.put("offsetof(struct io_uring, sq.sqe_tail)", SQ_SQE_TAIL);
        m.put("offsetof(struct io_uring, sq.ring_sz)", SQ_RING_SZ);
        m.put("offsetof(struct io_uring, sq.ring_ptr)", SQ_RING_PTR);
        m.put("offsetof(struct io_uring, sq.ring_mask)", SQ_RING_MASK);
        m.put("offsetof(struct io_uring, sq.ring_entries)", SQ_RING_ENTRIES);
        m.put("offsetof(struct io_uring, cq)", IO_URING_CQ);
        m.put("offsetof(struct io_uring, cq.khead)", CQ_KHEAD);
        m.put("offsetof(struct io_uring, cq.ktail)", CQ_KTAIL);
        m.put("offsetof(struct io_uring, cq.kflags)", CQ_KFLAGS);
        m.put("offsetof(struct io_uring, cq.koverflow)", CQ_KOVERFLOW);
        m.put("offsetof(struct io_uring, cq.cqes)", CQ_CQES);
        m.put("offsetof(struct io_uring, cq.ring_sz)", CQ_RING_SZ);
        m.put("offsetof(struct io_uring, cq.ring_ptr)", CQ_RING_PTR);
        m.put("offsetof(struct io_uring, cq.ring_mask)", CQ_RING_MASK);
        m.put("offsetof(struct io_uring, cq.ring_entries)", CQ_RING_ENTRIES);
        m.put("offsetof(struct io_uring, flags)", IO_URING_FLAGS);
        m.put("offsetof(struct io_uring, ring_fd)", IO_URING_RING_FD);
        m.put("offsetof(struct io_uring, features)", IO_URING_FEATURES);
        m.put("offsetof(struct io_uring, enter_ring_fd)", IO_URING_ENTER_RING_FD);
        m.put("offsetof(struct io_uring, int_flags)", IO_URING_INT_FLAGS);

        m.put("sizeof(struct io_uring_params)", SIZEOF_PARAMS);
        m.put("offsetof(struct io_uring_params, sq_entries)", PARAMS_SQ_ENTRIES);
        m.put("offsetof(struct io_uring_params, cq_entries)", PARAMS_CQ_ENTRIES);
        m.put("offsetof(struct io_uring_params, flags)", PARAMS_FLAGS);
        m.put("offsetof(struct io_uring_params, features)", PARAMS_FEATURES);
        m.put("offsetof(struct io_uring_params, sq_off)", PARAMS_SQ_OFF);
        m.put("offsetof(struct io_uring_params, cq_off)", PARAMS_CQ_OFF);

        m.put("sizeof(struct io_uring_sqe)", SIZEOF_SQE);
        m.put("offsetof(struct io_uring_sqe, opcode)", SQE_OPCODE);
        m.put("offsetof(struct io_uring_sqe, flags)", SQE_FLAGS);
        m.put("offsetof(struct io_uring_sqe, ioprio)", SQE_IOPRIO);
        m.put("offsetof(struct io_uring_sqe, fd)", SQE_FD);
        m.put("offsetof(struct io_uring_sqe, off)", SQE_OFF);
        m.put("offsetof(struct io_uring_sqe, addr)", SQE_ADDR);
        m.put("offsetof(struct io_uring_sqe, len)", SQE_LEN);
        m.put("offsetof(struct io_uring_sqe, rw_flags)", SQE_RW_FLAGS);
        m.put("offsetof(struct io_uring_sqe, fsync_flags)", SQE_FSYNC_FLAGS);
        m.put("offsetof(struct io_uring_sqe, user_data)", SQE_USER_DATA);
        m.put("offsetof(struct io_uring_sqe, buf_index)", SQE_BUF_INDEX);
        m.put("offsetof(struct io_uring_sqe, personality)", SQE_PERSONALITY);
        m.put("offsetof(struct io_uring_sqe, file_index)", SQE_FILE_INDEX);
        m.put("offsetof(struct io_uring_sqe, addr3)", SQE_ADDR3);
        m.put("offsetof(struct io_uring_sqe, __pad2)", SQE_PAD2);

        m.put("sizeof(struct io_uring_cqe)", SIZEOF_CQE);
        m.put("offsetof(struct io_uring_cqe, user_data)", CQE_USER_DATA);
        m.put("offsetof(struct io_uring_cqe, res)", CQE_RES);
        m.put("offsetof(struct io_uring_cqe, flags)", CQE_FLAGS);

        m.put("sizeof(struct iovec)", SIZEOF_IOVEC);
        m.put("offsetof(struct iovec, iov_base)", IOVEC_BASE);
        m.put("offsetof(struct iovec, iov_len)", IOVEC_LEN);

        m.put("IORING_OP_NOP", (long) IORING_OP_NOP);
        m.put("IORING_OP_FSYNC", (long) IORING_OP_FSYNC);
        m.put("IORING_OP_READ_FIXED", (long) IORING_OP_READ_FIXED);
        m.put("IORING_OP_WRITE_FIXED", (long) IORING_OP_WRITE_FIXED);
        m.put("IORING_OP_READ", (long) IORING_OP_READ);
        m.put("IORING_OP_WRITE", (long) IORING_OP_WRITE);
        m.put("IORING_FSYNC_DATASYNC", (long) IORING_FSYNC_DATASYNC);
        m.put("IORING_SETUP_IOPOLL", (long) IORING_SETUP_IOPOLL);
        m.put("IORING_SETUP_SQPOLL", (long) IORING_SETUP_SQPOLL);
        m.put("IORING_SETUP_SQE128", (long) IORING_SETUP_SQE128);
        m.put("IORING_SETUP_CQE32", (long) IORING_SETUP_CQE32);
        m.put("IORING_FEAT_SINGLE_MMAP", (long) IORING_FEAT_SINGLE_MMAP);
        m.put("IORING_FEAT_NODROP", (long) IORING_FEAT_NODROP);
        m.put("IORING_FEAT_EXT_ARG", (long) IORING_FEAT_EXT_ARG);
        m.put("LIBURING_UDATA_TIMEOUT", LIBURING_UDATA_TIMEOUT);
        return m;
    }

    @Test
    void kernelAbiSizes() {
        // Fixed by the kernel ABI whatever the liburing version.
        assertEquals(64, SIZEOF_SQE);
        assertEquals(16, SIZEOF_CQE);
        assertEquals(16, SIZEOF_IOVEC);
        assertEquals(120, SIZEOF_PARAMS);
        assertEquals(22, IORING_OP_READ);
        assertEquals(23, IORING_OP_WRITE);
        assertEquals(4, IORING_OP_READ_FIXED);
        assertEquals(5, IORING_OP_WRITE_FIXED);
        assertEquals(3, IORING_OP_FSYNC);
    }

    @Test
    void constantsMatchTheInstalledHeaders() throws Exception {
        Path gcc = findOnPath("gcc");
        boolean headers = Files.isReadable(HEADER);
        if (gcc == null || !headers) {
            String why = (gcc == null ? "gcc not on PATH" : "") + (headers ? "" : (gcc == null ? ", " : "") + HEADER + " missing");
            if (UringTestSupport.underCi()) {
                fail("CI=true requires gcc and liburing-dev (" + why + ")");
            }
            Assumptions.abort("cannot compile the layout probe: " + why + " (apt-get install gcc liburing-dev)");
        }
        Map<String, Long> expected = expectations();
        Path dir = UringTestSupport.freshDir("uring-layout");
        Path src = dir.resolve("layout.c");
        Path exe = dir.resolve("layout");
        StringBuilder c = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <liburing.h>
                int main(void) {
                """);
        for (String expr : expected.keySet()) {
            c.append("    printf(\"%lld\\n\", (long long) (").append(expr).append("));\n");
        }
        c.append("    return 0;\n}\n");
        Files.writeString(src, c.toString());
        String compiled = run(List.of(gcc.toString(), "-std=gnu11", "-Wall", "-o", exe.toString(), src.toString()));
        assertTrue(Files.isExecutable(exe), "gcc failed:\n" + compiled);
        String[] lines = run(List.of(exe.toString())).strip().split("\n");
        assertEquals(expected.size(), lines.length, "one value per expression");

        List<String> mismatches = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            long actual = Long.parseLong(lines[i++].strip());
            if (actual != e.getValue()) {
                mismatches.add(e.getKey() + " is " + actual + " in C but " + e.getValue() + " in UringLayout");
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        io.lightningdb.testing.TestDirs.deleteTree(dir);
    }

    private static Path findOnPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(":")) {
            Path p = Path.of(d, exe);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + command);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), command + " failed:\n" + text);
        return text;
    }
}
