package io.lightningdb.wal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadFactory;

/**
 * The writer's segment files: which are live, which one is being appended to, where an LSN range
 * lands in them, and starting, syncing and retiring them. Callers hold the WAL's lock, except
 * that a flush uses the {@link Segment}s it got from {@link #slices} without it.
 */
final class Segments implements AutoCloseable {
    /** One segment file; {@code file} is open while the writer may still write or sync it. */
    static final class Segment {
        final long start;
        final Path path;
        final long size;
        volatile WalFileOps.WalFile file;

        Segment(long start, Path path, long size, WalFileOps.WalFile file) {
            this.start = start;
            this.path = path;
            this.size = size;
            this.file = file;
        }

        /** The LSN just past the last byte this segment can hold. */
        long capacityEnd() {
            return start + size - WalFormat.SEGMENT_HEADER_SIZE;
        }
    }

    /** Bytes {@code [bufferOffset, +length)} of a flush go to {@code fileOffset} of {@code segment}. */
    record Slice(Segment segment, long fileOffset, long bufferOffset, long length) {}

    /**
     * The first segment a log opens with: a new database needs this much free disk, not a whole
     * {@code segmentSize}. Each segment started after it is twice the last, up to {@code segmentSize}.
     */
    static final long INITIAL_SEGMENT_SIZE = 1L << 20;

    private final Path dir;
    private final long segmentSize;
    private final WalFileOps ops;
    private final Spares spares;
    private final WalFileOps.WalFile dirFile;
    private final TreeMap<Long, Segment> live = new TreeMap<>();
    private boolean dirDirty;
    /** The size the next segment starts with (larger if its first record needs it). */
    private long nextSize;
    /** Once the log's end passes this LSN, the next segment's spare is prepared. */
    private long prepareAt = Long.MAX_VALUE;

    private Segments(Path dir, long segmentSize, WalFileOps ops, WalFileOps.WalFile dirFile, ThreadFactory threads) {
        this.dir = dir;
        this.segmentSize = segmentSize;
        this.ops = ops;
        this.dirFile = dirFile;
        this.spares = new Spares(dir, ops, threads);
        this.nextSize = Math.min(segmentSize, INITIAL_SEGMENT_SIZE);
    }

    /** Segment files of {@code dir} by start LSN (empty if the directory does not exist). */
    static TreeMap<Long, Path> list(Path dir) throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                long start = WalFormat.parseSegmentName(p.getFileName().toString());
                if (start >= 0) {
                    out.put(start, p);
                }
            }
        }
        return out;
    }

    /**
     * Keeps the segments starting before {@code startLsn}, deletes the rest and
     * starts a new segment at {@code startLsn}, synced with its directory entry. The preallocating
     * thread comes from {@code threads}.
     */
    static Segments open(Path dir, long segmentSize, WalFileOps ops, long startLsn, ThreadFactory threads)
            throws IOException {
        Files.createDirectories(dir);
        Spares.deleteLeftovers(dir);
        Segments s = new Segments(dir, segmentSize, ops, ops.open(dir, true), threads);
        try {
            for (Map.Entry<Long, Path> e : list(dir).entrySet()) {
                if (e.getKey() >= startLsn) {
                    // Nothing below startLsn lives there. Deleted, not recycled: a file starting at
                    // startLsn itself would put its old (unacknowledged, perhaps valid) records at the
                    // very positions the new records take, where a torn end mark could expose one.
                    Files.delete(e.getValue());
                } else {
                    s.live.put(e.getKey(), new Segment(e.getKey(), e.getValue(), Files.size(e.getValue()), null));
                }
            }
            Segment first = s.activate(startLsn, 0);
            first.file.force();
            s.syncDir();
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    Segment current() {
        return live.lastEntry().getValue();
    }

    /**
     * Starts the segment holding records from {@code startLsn}, large enough for a first record of
     * {@code recordBytes}: a spare renamed, its header and an end mark written (synced by the next
     * flush, which also syncs the directory). On failure nothing changed and a later call tries again.
     */
    Segment activate(long startLsn, long recordBytes) throws IOException {
        Path target = dir.resolve(WalFormat.segmentName(startLsn));
        long need = WalFormat.SEGMENT_HEADER_SIZE + recordBytes + WalFormat.RECORD_HEADER_SIZE;
        long wanted = Math.min(segmentSize, Math.max(nextSize, roundUp(need)));
        Spares.Spare spare = spares.take(target, wanted);
        long size = spare.size();
        WalFileOps.WalFile ch = null;
        try {
            Files.move(spare.path(), target, StandardCopyOption.ATOMIC_MOVE);
            ch = ops.open(target, false);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment head = arena.allocate(WalFormat.SEGMENT_HEADER_SIZE + WalFormat.RECORD_HEADER_SIZE);
                WalFormat.encodeSegmentHeader(head, startLsn, size);
                WalFormat.writeEndMark(head, WalFormat.SEGMENT_HEADER_SIZE, startLsn);
                ch.write(head, 0);
            }
        } catch (IOException e) {
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(target);
            Files.deleteIfExists(spare.path());
            throw new IOException("cannot start WAL segment " + target + ": " + e.getMessage(), e);
        }
        Segment seg = new Segment(startLsn, target, size, ch);
        live.put(startLsn, seg);
        dirDirty = true;
        nextSize = Math.min(segmentSize, Math.max(nextSize, size) * 2);
        prepareAt = startLsn + (seg.capacityEnd() - startLsn) / 2;
        return seg;
    }

    /**
     * Called with the log's end after an append: once the current segment is half full, starts
     * preparing the next one's spare (unless a retired segment is kept as one by then).
     */
    void afterAppend(long endLsn) {
        if (endLsn >= prepareAt) {
            prepareAt = Long.MAX_VALUE;
            spares.prepareAhead(nextSize);
        }
    }

    private static long roundUp(long bytes) {
        long block = WalFormat.SEGMENT_HEADER_SIZE;
        return (bytes + block - 1) / block * block;
    }

    /** The size the next segment starts with. */
    long nextSize() {
        return nextSize;
    }

    /** Where the log bytes {@code [from, to)} go, in LSN order. */
    List<Slice> slices(long from, long to) {
        List<Slice> out = new ArrayList<>(2);
        for (Map.Entry<Long, Segment> e : live.tailMap(live.floorKey(from), true).entrySet()) {
            Segment s = e.getValue();
            Long next = live.higherKey(s.start);
            long a = Math.max(from, s.start);
            long b = Math.min(to, next == null ? Long.MAX_VALUE : next);
            if (a < b) {
                out.add(new Slice(s, WalFormat.SEGMENT_HEADER_SIZE + (a - s.start), a - from, b - a));
            }
        }
        return out;
    }

    /** Whether a segment was started since the last call (its directory entry needs a sync). */
    boolean takeDirDirty() {
        boolean d = dirDirty;
        dirDirty = false;
        return d;
    }

    void syncDir() throws IOException {
        dirFile.force();
    }

    /** Closes the files of full segments that are durable to their end: no write or sync needs them again. */
    void closeDurable(long durableLsn) throws IOException {
        for (Map.Entry<Long, Segment> e : live.entrySet()) {
            Long next = live.higherKey(e.getKey());
            if (next == null || next > durableLsn) {
                break;
            }
            closeChannel(e.getValue());
        }
    }

    /** Retires the segments whose records all end at or before {@code lsn}, never the current one. */
    int truncateBefore(long lsn) throws IOException {
        int retired = 0;
        while (live.size() > 1) {
            Map.Entry<Long, Segment> first = live.firstEntry();
            if (live.higherKey(first.getKey()) > lsn) {
                break;
            }
            live.pollFirstEntry();
            closeChannel(first.getValue());
            spares.recycle(first.getValue().path, first.getValue().size, nextSize);
            retired++;
        }
        return retired;
    }

    /**
     * At a clean close, when everything up to {@code endLsn} is durable and an end mark follows it:
     * cuts the current segment's file after that end mark (to a whole block), so a closed log
     * holds the disk its records take, not its preallocation. The header keeps the segment's
     * original size; the reader stops at the end mark before the file's end either way.
     */
    void trimCurrent(long endLsn) throws IOException {
        Segment cur = current();
        long used = WalFormat.SEGMENT_HEADER_SIZE + (endLsn - cur.start) + WalFormat.RECORD_HEADER_SIZE;
        long keep = roundUp(used);
        if (keep >= cur.size) {
            return;
        }
        closeChannel(cur);
        try (FileChannel ch = FileChannel.open(cur.path, StandardOpenOption.WRITE)) {
            ch.truncate(keep);
        }
    }

    /**
     * At a clean close, when every record up to {@code endLsn} is durable and checkpointed (none
     * will be read again): the log becomes one empty segment starting at {@code endLsn}, a header
     * and an end mark (8 KiB), written under a spare's name, synced and renamed; then the older
     * segments are deleted. A crash between the two leaves both, and a reader starting at
     * {@code endLsn} reads only the new one. A closed log then takes 8 KiB, not the last segment's
     * records (up to {@code walSegmentSize}) that no open would read.
     */
    void replaceWithEmpty(long endLsn) throws IOException {
        Segment cur = current();
        if (cur.start == endLsn) {
            trimCurrent(endLsn);
            return;
        }
        for (Segment seg : live.values()) {
            closeChannel(seg);
        }
        long size = roundUp(WalFormat.SEGMENT_HEADER_SIZE + WalFormat.RECORD_HEADER_SIZE);
        Path tmp = spares.freshName();
        Path target = dir.resolve(WalFormat.segmentName(endLsn));
        try (Arena arena = Arena.ofConfined();
                FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            MemorySegment head = arena.allocate(size);
            WalFormat.encodeSegmentHeader(head, endLsn, size);
            WalFormat.writeEndMark(head, WalFormat.SEGMENT_HEADER_SIZE, endLsn);
            ch.write(head.asByteBuffer(), 0);
            ch.force(false);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDir();
        for (Segment seg : live.values()) {
            Files.deleteIfExists(seg.path);
        }
        live.clear();
        syncDir();
    }

    int liveCount() {
        return live.size();
    }

    /** Disk the log's files take: every live segment's preallocated size and the spare's. */
    long diskBytes() {
        long bytes = spares.diskBytes();
        for (Segment s : live.values()) {
            bytes += s.size;
        }
        return bytes;
    }

    long sparesCreated() {
        return spares.created();
    }

    long sparesRecycled() {
        return spares.recycled();
    }

    private static void closeChannel(Segment s) throws IOException {
        WalFileOps.WalFile f = s.file;
        if (f != null) {
            s.file = null;
            f.close();
        }
    }

    @Override
    public void close() throws IOException {
        spares.close();
        IOException first = null;
        for (Segment s : live.values()) {
            try {
                closeChannel(s);
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        try {
            dirFile.close();
        } catch (IOException e) {
            first = first == null ? e : first;
        }
        if (first != null) {
            throw first;
        }
    }
}
