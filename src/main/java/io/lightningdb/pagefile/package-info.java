/**
 * The page file's shape: the two superblock copies, the page table's durable store
 * ({@code TableStore}: chunks and directory pages, every write to a fresh slot), page allocation
 * (free ids are not stored: at open every id without a slot is free, and every slot no image uses),
 * checkpoint images, moving pages down for compaction ({@code Relocation}), and the epochs that
 * decide when a freed page may be reused (only after every reader that might still see it has
 * left). Built on the buffer pool; the byte layout is in docs/file-format.md.
 */
package io.lightningdb.pagefile;
