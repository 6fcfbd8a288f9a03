package io.lightningdb.engine;

import io.lightningdb.btree.BTree;
import io.lightningdb.btree.KeySearch;
import io.lightningdb.pagefile.PageFile;
import io.lightningdb.pagefile.Superblock;
import io.lightningdb.store.OrderedStore;
import io.lightningdb.wal.Wal;
import io.lightningdb.wal.WalRecovery;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;

/**
 * The files of a database directory and how they come to be open: the lock, the data file (created
 * under a temporary name and renamed once whole, so a crash during creation leaves no half
 * database), the log, and recovery (the newest checkpoint image plus the log after it).
 */
final class DatabaseFiles {
    private static final System.Logger LOG = System.getLogger("io.lightningdb.engine");
    static final String WAL_DIR = "wal";
    private static final String CREATING = Engine.DATA_FILE_NAME + ".creating";
    /** What a directory may hold before its data file exists (a crash during creation leaves these). */
    private static final Set<String> OWN_FILES = Set.of(DirectoryLock.FILE_NAME, CREATING, WAL_DIR,
            Engine.CONFIG_FILE_NAME, Engine.CONFIG_FILE_NAME + Engine.TEMP_SUFFIX, CacheDump.FILE_NAME,
            CacheDump.FILE_NAME + Engine.TEMP_SUFFIX);

    /** Everything an open handle holds, and what opening found: the log replayed and how long it took. */
    record Opened(DirectoryLock lock, PageFile file, OrderedStore store, Wal wal, long checkpointLsn, WalRecovery recovery,
            long recoveryMillis, boolean reopened) {}

    private DatabaseFiles() {}

    /** Opens (creating if need be) and recovers; the log's background threads come from {@code threads}. */
    static Opened open(Path dir, EngineConfig config, ThreadFactory threads) throws IOException {
        Files.createDirectories(dir);
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            Path path = dir.resolve(Engine.DATA_FILE_NAME);
            Path walDir = dir.resolve(WAL_DIR);
            boolean exists = Files.exists(path);
            if (!exists) {
                refuseForeign(dir, walDir);
                create(dir, config);
            }
            PageFile f = PageFile.open(path, config.io(), config.maxPages(), config.cacheSize(), config.cache());
            Wal wal = null;
            try {
                Superblock sb = f.loadedSuperblock();
                if (exists && sb.pageSize() != config.pageSize()) {
                    LOG.log(Level.INFO, "{0}: pageSize {1} from the file, not the configured {2}", path,
                            String.valueOf(sb.pageSize()), String.valueOf(config.pageSize()));
                }
                BTree tree = BTree.open(f, KeySearch.select(config.simdSearch()), sb.rootPage(), sb.treeHeight(),
                        sb.keyCount(), sb.liveBytes());
                tree.separateValuesFrom(config.valueSeparationThreshold()); // before replay: it writes too
                tree.readAheadPages(config.readAheadPages());
                long t0 = System.nanoTime();
                WalRecovery rec = LogRecords.replay(walDir, sb.checkpointLsn(), tree);
                if (rec.records() > 0) {
                    LOG.log(Level.INFO, "{0}: recovered {1} log records ({2} bytes) after checkpoint {3} in {4} ms",
                            dir, String.valueOf(rec.records()), String.valueOf(rec.bytes()), String.valueOf(sb.sequence()),
                            String.valueOf((System.nanoTime() - t0) / 1_000_000));
                }
                long millis = (System.nanoTime() - t0) / 1_000_000;
                wal = Wal.open(walDir, config.wal(), rec.endLsn(), threads);
                return new Opened(lock, f, tree, wal, sb.checkpointLsn(), rec, millis, exists);
            } catch (IOException | RuntimeException e) {
                try {
                    if (wal != null) {
                        wal.close();
                    }
                } finally {
                    f.close();
                }
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * A directory that holds other things than a database's files is refused rather than mixed
     * into; so is a log without its data file (the data file was lost: a fresh one would pretend
     * the logged writes never happened).
     */
    private static void refuseForeign(Path dir, Path walDir) throws IOException {
        List<String> foreign = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> !OWN_FILES.contains(n))
                    .sorted().limit(3).forEach(foreign::add);
        }
        if (!foreign.isEmpty()) {
            throw new ForeignDirectoryException(dir, "holds " + String.join(", ", foreign)
                    + " and no " + Engine.DATA_FILE_NAME + ": not a Lightning DB directory; open an empty or new directory");
        }
        if (Files.isDirectory(walDir)) {
            try (Stream<Path> s = Files.list(walDir)) {
                if (s.findAny().isPresent()) {
                    throw new ForeignDirectoryException(dir, "holds a write-ahead log (" + WAL_DIR + "/) but no "
                            + Engine.DATA_FILE_NAME + ": the data file is missing; refusing to start a new database over the log");
                }
            }
        }
    }

    /** Writes an empty database under a temporary name, syncs it, and renames it into place. */
    private static void create(Path dir, EngineConfig config) throws IOException {
        Path tmp = dir.resolve(CREATING);
        Files.deleteIfExists(tmp);
        // A warm restart's list left by a data file that is gone names none of the new one's pages.
        Files.deleteIfExists(dir.resolve(CacheDump.FILE_NAME));
        try (PageFile f = PageFile.create(tmp, config.pageSize(), config.maxKeySize(), config.io(), config.maxPages(),
                config.cacheSize(), config.cache())) {
            BTree t = BTree.create(f, KeySearch.select(config.simdSearch()));
            f.persist(f.capture(t.rootPage(), t.height(), 0, 0, 0));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, dir.resolve(Engine.DATA_FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(dir);
    }

    /** Makes a rename or a new file in {@code dir} durable. */
    /**
     * Closes each of {@code resources} in order even when one fails; returns {@code failure} (or
     * the first close failure when it was null) with the others added as suppressed.
     */
    static IOException closeAll(IOException failure, AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof IOException io ? io : new IOException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }

    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
