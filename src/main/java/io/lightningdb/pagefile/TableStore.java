package io.lightningdb.pagefile;

import io.lightningdb.cache.PageFrames;
import io.lightningdb.cache.PageTable;
import io.lightningdb.cache.ScratchPages;
import io.lightningdb.io.PageBatch;
import io.lightningdb.io.PageIO;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The page table on disk: chunk pages of page-id-to-slot entries, listed by a chain of directory
 * pages the superblock points at. A checkpoint writes only the chunks that changed, each to a
 * fresh slot, and the whole directory (a few pages per million pages) anew; the slots they
 * replace are released for that checkpoint. Layouts: docs/file-format.md.
 */
final class TableStore {
    /** Chunk page: u64 chunk index (entries for page ids index × entriesPerChunk + i). */
    static final int CHUNK_INDEX_OFFSET = 8;
    /** Chunk page: the u64 slots start here. */
    static final int CHUNK_ENTRIES_OFFSET = 16;
    /** Directory page: u64 slot of the next directory page, 0 at the end. */
    static final int DIR_NEXT_OFFSET = 8;
    /** Directory page: u32 number of chunk slots in this page. */
    static final int DIR_COUNT_OFFSET = 16;
    /** Directory page: the u64 chunk slots start here, chunk order. */
    static final int DIR_SLOTS_OFFSET = 24;

    private final Path path;
    private final PageIO io;
    private final PageTable table;
    private final int pageSize;
    /**
     * Slot of every chunk in the newest image (written or being written). Replaced, never changed
     * once published: compaction reads it without the checkpoint's serialization.
     */
    private volatile long[] chunkSlots = new long[0];
    private volatile long[] dirSlots = new long[0];
    /** Where a checkpoint's table buffer comes from (pooled across checkpoints). */
    private final ScratchPages scratch;

    TableStore(Path path, PageIO io, PageTable table, int pageSize, ScratchPages scratch) {
        this.path = path;
        this.scratch = scratch;
        this.io = io;
        this.table = table;
        this.pageSize = pageSize;
    }

    static int entriesPerChunk(int pageSize) {
        return (pageSize - CHUNK_ENTRIES_OFFSET) / Long.BYTES;
    }

    private int slotsPerDir() {
        return (pageSize - DIR_SLOTS_OFFSET) / Long.BYTES;
    }

    /**
     * Writes the changed chunks and a new directory to fresh slots (not synced); the slots they
     * replace are released for checkpoint {@code generation}. Returns the directory's head slot.
     */
    long write(List<long[]> changedChunks, long pidCount, long generation) throws IOException {
        int chunks = (int) ((pidCount + table.chunkEntries() - 1) / table.chunkEntries());
        long[] slots = Arrays.copyOf(chunkSlots, chunks);
        int dirPages = Math.max(1, (chunks + slotsPerDir() - 1) / slotsPerDir());
        MemorySegment buf = scratch.acquire(changedChunks.size() + dirPages);
        try {
            buf.fill((byte) 0); // a recycled buffer holds the last checkpoint's pages; reserved bytes are zero
            PageBatch batch = new PageBatch(changedChunks.size() + dirPages);
            List<long[]> fresh = new ArrayList<>();
            try {
                int i = 0;
                for (long[] c : changedChunks) {
                    MemorySegment p = buf.asSlice((long) i++ * pageSize, pageSize);
                    p.set(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET, PageTypes.TABLE_CHUNK);
                    p.set(ValueLayout.JAVA_LONG_UNALIGNED, CHUNK_INDEX_OFFSET, c[0]);
                    MemorySegment.copy(c, 1, p, ValueLayout.JAVA_LONG_UNALIGNED, CHUNK_ENTRIES_OFFSET, c.length - 1);
                    PageFrames.seal(p);
                    long slot = allocateOne(fresh);
                    batch.write(slot * pageSize, p);
                    if (slots[(int) c[0]] != 0) {
                        table.releaseForCheckpoint(slots[(int) c[0]], generation);
                    }
                    slots[(int) c[0]] = slot;
                }
                long[] newDir = new long[dirPages];
                for (int d = 0; d < dirPages; d++) {
                    newDir[d] = allocateOne(fresh);
                }
                for (int d = 0; d < dirPages; d++) {
                    MemorySegment p = buf.asSlice((long) i++ * pageSize, pageSize);
                    int from = d * slotsPerDir();
                    int n = Math.max(0, Math.min(slotsPerDir(), chunks - from));
                    p.set(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET, PageTypes.TABLE_DIRECTORY);
                    p.set(ValueLayout.JAVA_LONG_UNALIGNED, DIR_NEXT_OFFSET, d + 1 < dirPages ? newDir[d + 1] : 0);
                    p.set(ValueLayout.JAVA_INT_UNALIGNED, DIR_COUNT_OFFSET, n);
                    MemorySegment.copy(slots, from, p, ValueLayout.JAVA_LONG_UNALIGNED, DIR_SLOTS_OFFSET, n);
                    PageFrames.seal(p);
                    batch.write(newDir[d] * pageSize, p);
                }
                io.execute(batch);
                for (long old : dirSlots) {
                    table.releaseForCheckpoint(old, generation);
                }
                chunkSlots = slots;
                dirSlots = newDir;
                return newDir[0];
            } catch (IOException | RuntimeException e) {
                for (long[] r : fresh) {
                    table.unused(r[0], 1);
                }
                throw e;
            }
        } finally {
            scratch.release(buf);
        }
    }

    /** Pages the table takes in the newest image: chunks and directory pages. */
    long pages() {
        return chunkSlots.length + dirSlots.length;
    }

    /**
     * Makes every chunk whose page lies at or above {@code slot} count as changed, so the next
     * checkpoint writes it to the lowest free slot (the directory is written anew every time).
     * Returns how many.
     */
    int relocateChunksFrom(long slot) {
        long[] slots = chunkSlots;
        int n = 0;
        for (int c = 0; c < slots.length; c++) {
            if (slots[c] >= slot) {
                table.rewriteChunk(c);
                n++;
            }
        }
        return n;
    }

    private long allocateOne(List<long[]> fresh) throws IOException {
        int[] got = new int[1];
        long slot = table.allocate(1, got);
        fresh.add(new long[] {slot});
        return slot;
    }

    /**
     * Loads the table of {@code sb}: claims every slot it uses (directory, chunks, pages) so that
     * only the others are free, checking each page's checksum, type and place. Damage is a
     * {@link CorruptFileException} naming the offset.
     */
    void load(Superblock sb) throws IOException {
        int chunks = sb.tableChunks();
        long expected = (sb.pidCount() + table.chunkEntries() - 1) / table.chunkEntries();
        if (chunks != expected) {
            throw new CorruptFileException(path, sb.fileOffset() + Superblock.TABLE_CHUNKS_OFFSET, "superblock lists "
                    + chunks + " page-table chunks, " + sb.pidCount() + " page ids need " + expected);
        }
        table.loadedSlotCount(sb.slotCount());
        loadLimit = sb.slotCount();
        // Chunks and pages are read only once the file is known to hold the directory.
        long[] slots = new long[chunks];
        List<Long> dirs = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment p = arena.allocate(pageSize, 4096);
            int filled = 0;
            for (long d = sb.tableHead(); d != 0; ) {
                claim(d, "page-table directory");
                dirs.add(d);
                readChecked(d, p, PageTypes.TABLE_DIRECTORY, "page-table directory");
                int n = p.get(ValueLayout.JAVA_INT_UNALIGNED, DIR_COUNT_OFFSET);
                if (n < 0 || n > slotsPerDir() || filled + n > chunks) {
                    throw new CorruptFileException(path, d * pageSize + DIR_COUNT_OFFSET, "page-table directory lists "
                            + n + " chunks; at most " + Math.min(slotsPerDir(), chunks - filled) + " fit");
                }
                MemorySegment.copy(p, ValueLayout.JAVA_LONG_UNALIGNED, DIR_SLOTS_OFFSET, slots, filled, n);
                filled += n;
                d = p.get(ValueLayout.JAVA_LONG_UNALIGNED, DIR_NEXT_OFFSET);
            }
            if (filled != chunks) {
                throw new CorruptFileException(path, sb.fileOffset() + Superblock.TABLE_HEAD_OFFSET,
                        "page-table directory lists " + filled + " chunks, the superblock " + chunks);
            }
            for (int c = 0; c < chunks; c++) {
                claim(slots[c], "page-table chunk " + c);
                readChecked(slots[c], p, PageTypes.TABLE_CHUNK, "page-table chunk " + c);
                long index = p.get(ValueLayout.JAVA_LONG_UNALIGNED, CHUNK_INDEX_OFFSET);
                if (index != c) {
                    throw new CorruptFileException(path, slots[c] * pageSize + CHUNK_INDEX_OFFSET,
                            "page-table chunk " + c + " says it is chunk " + index);
                }
                long base = (long) c * table.chunkEntries();
                for (int i = 0; i < table.chunkEntries() && base + i < sb.pidCount(); i++) {
                    long slot = p.get(ValueLayout.JAVA_LONG_UNALIGNED, CHUNK_ENTRIES_OFFSET + (long) i * Long.BYTES);
                    if (slot != 0) {
                        claim(slot, "page " + (base + i));
                        table.load(base + i, slot);
                    }
                }
            }
        }
        chunkSlots = slots;
        dirSlots = dirs.stream().mapToLong(Long::longValue).toArray();
        table.countFree();
    }

    private long loadLimit;
    private long highestSlot = 1;

    /** The highest slot the loaded image uses. */
    long highestSlot() {
        return highestSlot;
    }

    private void claim(long slot, String what) throws CorruptFileException {
        if (slot >= loadLimit || !table.claim(slot)) {
            throw new CorruptFileException(path, slot * pageSize, what + " is at slot " + slot
                    + ", which is a superblock, past the end of the file, or used twice");
        }
        highestSlot = Math.max(highestSlot, slot);
    }

    private void readChecked(long slot, MemorySegment p, byte type, String what) throws IOException {
        long size = io.size();
        if ((slot + 1) * pageSize > size) {
            throw new CorruptFileException(path, size, "truncated: the checkpoint uses slot " + slot + " (" + what
                    + "), which ends at offset " + (slot + 1) * pageSize + ", the file has " + size + " bytes");
        }
        io.read(slot * pageSize, p);
        if (PageFrames.storedCrc(p) != PageFrames.computeCrc(p)) {
            throw new CorruptFileException(path, slot * pageSize, what + " fails its checksum");
        }
        if (p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET) != type) {
            throw new CorruptFileException(path, slot * pageSize + PageTypes.TYPE_OFFSET, what + " has page type "
                    + p.get(ValueLayout.JAVA_BYTE, PageTypes.TYPE_OFFSET) + ", expected " + type);
        }
    }
}
