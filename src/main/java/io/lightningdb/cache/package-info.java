/**
 * The buffer pool: which pages of the page file are in memory, their latches, and eviction.
 *
 * <p>Design (vmcache, Leis et al., SIGMOD 2023): the whole page file has one reserved virtual
 * mapping, so page {@code pid} always lives at {@code base + pid * pageSize}; a page-state array
 * holds one 64-bit word per page that is at once its residency state and its optimistic latch
 * (version). Evicting a page is {@code madvise(MADV_DONTNEED)}: the memory returns to the OS, the
 * address stays mapped and reads as zeros. An optimistic reader therefore never touches unmapped
 * memory, whatever it races with: the worst it sees is garbage, which its version check rejects.
 * See docs/architecture.md for why this design over LeanStore's swizzled pointers.
 */
package io.lightningdb.cache;
