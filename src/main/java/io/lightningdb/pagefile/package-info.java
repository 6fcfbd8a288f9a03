/**
 * The page file's shape: the superblock (page 0), page allocation and the free list, and the epochs
 * that decide when a freed page may be reused (only after every reader that might still see it
 * has left). Built on the buffer pool; the byte layout is in docs/file-format.md.
 */
package io.lightningdb.pagefile;
