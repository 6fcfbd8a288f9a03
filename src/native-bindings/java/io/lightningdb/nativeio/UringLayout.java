package io.lightningdb.nativeio;

/**
 * Byte offsets, sizes and constants of the liburing 2.3 / kernel io_uring ABI on x86-64 (LP64), as
 * declared in {@code /usr/include/liburing.h} and {@code /usr/include/liburing/io_uring.h}.
 *
 * <p>Every offset the Java side reads or writes is a named constant here, so that
 * {@code UringLayoutTest} can compare each one against {@code offsetof()} from a C program compiled
 * against the installed headers. A wrong offset into native memory corrupts the ring or crashes the
 * JVM, so nothing else in the code base may use a numeric struct offset.
 *
 * {@snippet class=io.lightningdb.nativeio.NativeExamples region="layout"}
 */
final class UringLayout {
    private UringLayout() {}

    // ---- struct io_uring (liburing.h): struct io_uring_sq sq; struct io_uring_cq cq; ... ----
    // liburing's own struct, not the kernel's: it lives in memory we allocate and pass to liburing.
    // Pointer fields (khead, ktail, ...) point into the rings the kernel shares with us by mmap.

    /** sizeof(struct io_uring). */
    public static final long SIZEOF_IO_URING = 216;
    /** alignof(struct io_uring): it holds pointers and size_t. */
    public static final long ALIGNOF_IO_URING = 8;

    /** offsetof(struct io_uring, sq): the submission queue sub-struct comes first. */
    public static final long IO_URING_SQ = 0;
    /** {@code unsigned *sq.khead}: the kernel's consumer index of the SQ ring. */
    public static final long SQ_KHEAD = IO_URING_SQ + 0;
    /** {@code unsigned *sq.ktail}: the producer index the kernel reads; liburing's submit writes it. */
    public static final long SQ_KTAIL = IO_URING_SQ + 8;
    /** {@code unsigned *sq.kflags}: IORING_SQ_* flags (CQ overflow, need wakeup). */
    public static final long SQ_KFLAGS = IO_URING_SQ + 32;
    /** {@code unsigned *sq.kdropped}: count of invalid SQ array entries the kernel skipped. */
    public static final long SQ_KDROPPED = IO_URING_SQ + 40;
    /** {@code unsigned *sq.array}: SQ ring slot to SQE index; liburing 2.2+ fills it with identity. */
    public static final long SQ_ARRAY = IO_URING_SQ + 48;
    /** {@code struct io_uring_sqe *sq.sqes}: the mmapped SQE array. */
    public static final long SQ_SQES = IO_URING_SQ + 56;
    /** {@code unsigned sq.sqe_head}: SQEs before this were published by the last submit. */
    public static final long SQ_SQE_HEAD = IO_URING_SQ + 64;
    /** {@code unsigned sq.sqe_tail}: SQEs before this are filled in; submit publishes up to here. */
    public static final long SQ_SQE_TAIL = IO_URING_SQ + 68;
    /** {@code size_t sq.ring_sz}: size of the SQ ring mapping. */
    public static final long SQ_RING_SZ = IO_URING_SQ + 72;
    /** {@code void *sq.ring_ptr}: start of the SQ ring mapping. */
    public static final long SQ_RING_PTR = IO_URING_SQ + 80;
    /** {@code unsigned sq.ring_mask}: SQ entries - 1 (a copy of the kernel's value). */
    public static final long SQ_RING_MASK = IO_URING_SQ + 88;
    /** {@code unsigned sq.ring_entries}: number of SQ entries. */
    public static final long SQ_RING_ENTRIES = IO_URING_SQ + 92;

    /** offsetof(struct io_uring, cq): after the 104-byte struct io_uring_sq. */
    public static final long IO_URING_CQ = 104;
    /** {@code unsigned *cq.khead}: our consumer index; we store-release it after reading CQEs. */
    public static final long CQ_KHEAD = IO_URING_CQ + 0;
    /** {@code unsigned *cq.ktail}: the kernel's producer index; we load-acquire it. */
    public static final long CQ_KTAIL = IO_URING_CQ + 8;
    /** {@code unsigned *cq.kflags}: IORING_CQ_* flags (may be NULL on old kernels). */
    public static final long CQ_KFLAGS = IO_URING_CQ + 32;
    /** {@code unsigned *cq.koverflow}: count of completions lost to CQ overflow. */
    public static final long CQ_KOVERFLOW = IO_URING_CQ + 40;
    /** {@code struct io_uring_cqe *cq.cqes}: the CQE array inside the CQ ring mapping. */
    public static final long CQ_CQES = IO_URING_CQ + 48;
    /** {@code size_t cq.ring_sz}. */
    public static final long CQ_RING_SZ = IO_URING_CQ + 56;
    /** {@code void *cq.ring_ptr}. */
    public static final long CQ_RING_PTR = IO_URING_CQ + 64;
    /** {@code unsigned cq.ring_mask}. */
    public static final long CQ_RING_MASK = IO_URING_CQ + 72;
    /** {@code unsigned cq.ring_entries}. */
    public static final long CQ_RING_ENTRIES = IO_URING_CQ + 76;

    /** {@code unsigned flags}: the IORING_SETUP_* flags the ring was created with. */
    public static final long IO_URING_FLAGS = 192;
    /** {@code int ring_fd}. */
    public static final long IO_URING_RING_FD = 196;
    /** {@code unsigned features}: IORING_FEAT_* the kernel reported. */
    public static final long IO_URING_FEATURES = 200;
    /** {@code int enter_ring_fd}. */
    public static final long IO_URING_ENTER_RING_FD = 204;
    /** {@code __u8 int_flags}: liburing-internal flags. */
    public static final long IO_URING_INT_FLAGS = 208;

    // ---- struct io_uring_params (io_uring.h) ----
    /** sizeof(struct io_uring_params). */
    public static final long SIZEOF_PARAMS = 120;
    public static final long PARAMS_SQ_ENTRIES = 0;
    public static final long PARAMS_CQ_ENTRIES = 4;
    public static final long PARAMS_FLAGS = 8;
    public static final long PARAMS_FEATURES = 20;
    /** struct io_sqring_offsets sq_off (filled in by the kernel; liburing uses it, we do not). */
    public static final long PARAMS_SQ_OFF = 40;
    /** struct io_cqring_offsets cq_off. */
    public static final long PARAMS_CQ_OFF = 80;

    // ---- struct io_uring_sqe (64 bytes) ----
    public static final long SIZEOF_SQE = 64;
    /** {@code __u8 opcode}: IORING_OP_*. */
    public static final long SQE_OPCODE = 0;
    /** {@code __u8 flags}: IOSQE_*. */
    public static final long SQE_FLAGS = 1;
    /** {@code __u16 ioprio}. */
    public static final long SQE_IOPRIO = 2;
    /** {@code __s32 fd}. */
    public static final long SQE_FD = 4;
    /** {@code __u64 off}: file offset. */
    public static final long SQE_OFF = 8;
    /** {@code __u64 addr}: buffer address. */
    public static final long SQE_ADDR = 16;
    /** {@code __u32 len}: buffer length in bytes. */
    public static final long SQE_LEN = 24;
    /** {@code __kernel_rwf_t rw_flags} (a union with fsync_flags). */
    public static final long SQE_RW_FLAGS = 28;
    /** {@code __u32 fsync_flags}: same word as rw_flags. */
    public static final long SQE_FSYNC_FLAGS = 28;
    /** {@code __u64 user_data}: handed back unchanged in the CQE. */
    public static final long SQE_USER_DATA = 32;
    /** {@code __u16 buf_index}: registered buffer index for READ_FIXED / WRITE_FIXED. */
    public static final long SQE_BUF_INDEX = 40;
    /** {@code __u16 personality}. */
    public static final long SQE_PERSONALITY = 42;
    /** {@code __u32 file_index} (a union with splice_fd_in). */
    public static final long SQE_FILE_INDEX = 44;
    /** {@code __u64 addr3}. */
    public static final long SQE_ADDR3 = 48;
    /** {@code __u64 __pad2[1]}. */
    public static final long SQE_PAD2 = 56;

    // ---- struct io_uring_cqe (16 bytes without IORING_SETUP_CQE32, which we never set) ----
    public static final long SIZEOF_CQE = 16;
    /** {@code __u64 user_data}. */
    public static final long CQE_USER_DATA = 0;
    /** {@code __s32 res}: bytes transferred, or -errno. */
    public static final long CQE_RES = 8;
    /** {@code __u32 flags}: IORING_CQE_F_*. */
    public static final long CQE_FLAGS = 12;

    // ---- struct iovec (sys/uio.h), the argument of io_uring_register_buffers ----
    public static final long SIZEOF_IOVEC = 16;
    public static final long IOVEC_BASE = 0;
    public static final long IOVEC_LEN = 8;

    // ---- enum io_uring_op ----
    public static final byte IORING_OP_NOP = 0;
    public static final byte IORING_OP_FSYNC = 3;
    public static final byte IORING_OP_READ_FIXED = 4;
    public static final byte IORING_OP_WRITE_FIXED = 5;
    public static final byte IORING_OP_READ = 22;
    public static final byte IORING_OP_WRITE = 23;

    /** sqe->fsync_flags: fdatasync instead of fsync. */
    public static final int IORING_FSYNC_DATASYNC = 1;

    // ---- io_uring_setup(2) flags (struct io_uring.flags) ----
    public static final int IORING_SETUP_IOPOLL = 1;
    public static final int IORING_SETUP_SQPOLL = 1 << 1;
    public static final int IORING_SETUP_SQE128 = 1 << 10;
    public static final int IORING_SETUP_CQE32 = 1 << 11;
    /** Completions are posted when the task next enters the kernel instead of by interrupting it (5.19+). */
    public static final int IORING_SETUP_COOP_TASKRUN = 1 << 8;

    // ---- struct io_uring_params.features ----
    public static final int IORING_FEAT_SINGLE_MMAP = 1;
    public static final int IORING_FEAT_NODROP = 1 << 1;
    public static final int IORING_FEAT_EXT_ARG = 1 << 8;

    /** Kernel limit on registered buffers per ring (IORING_MAX_REG_BUFFERS). */
    public static final int MAX_REGISTERED_BUFFERS = 1 << 14;
    /** Kernel limit on one registered buffer (SZ_1G in io_uring/rsrc.c). */
    public static final long MAX_REGISTERED_BUFFER_BYTES = 1L << 30;

    /**
     * user_data value liburing reserves for its internal timeouts: {@code __io_uring_get_cqe}
     * silently consumes CQEs carrying it, so requests must never use it.
     */
    public static final long LIBURING_UDATA_TIMEOUT = -1L;
}
