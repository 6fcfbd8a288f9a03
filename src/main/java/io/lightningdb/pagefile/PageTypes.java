package io.lightningdb.pagefile;

import io.lightningdb.cache.PageFrames;

/**
 * The common start of every pool page after its checksum: a one-byte type. The owner of each type
 * (B-tree nodes, overflow chains, the page table) lays out the rest.
 */
public final class PageTypes {
    /** u8 page type at this offset. */
    public static final int TYPE_OFFSET = PageFrames.PAYLOAD_OFFSET;

    public static final byte LEAF = 1;
    public static final byte INNER = 2;
    public static final byte OVERFLOW = 3;
    /** A page of values kept out of the leaves (btree's ValuePages). */
    public static final byte VALUES = 8;
    /** A page of the page table (where each page lives in the file); see TableStore. */
    public static final byte TABLE_CHUNK = 6;
    /** A page listing page-table chunks; see TableStore. */
    public static final byte TABLE_DIRECTORY = 7;
    /**
     * A tree node a merge took out of the tree: kept as it was but for this type until no reader
     * that may still hold a link to it runs, then freed. A reader that lands on it restarts.
     */
    public static final byte UNLINKED = 5;

    private PageTypes() {}
}
