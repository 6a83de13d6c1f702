// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

namespace keras::detail {

/// Memory for tensors. Blocks of 64 KiB and more that tensors free are kept (up to
/// `block_cache_limit` bytes in all) and handed to the next tensor of the same rounded size: a
/// training step allocates the same activations and gradients on every step, and glibc returns
/// large blocks to the kernel when they are freed, so without the cache every step paid a page
/// fault and a zeroed page per 4 KiB of them (30% of a step's time for mnist_convnet).
/// Thread-safe; blocks are `block_alignment`-byte aligned.
[[nodiscard]] std::byte* allocate_block(std::size_t nbytes);
/// The same, all zero: a large block fresh from the kernel is zero already and is not written
/// (its pages cost nothing until used), so a large zeros() tensor no one writes costs nothing.
[[nodiscard]] std::byte* allocate_zeroed_block(std::size_t nbytes);
void release_block(std::byte* block, std::size_t nbytes) noexcept;

/// Frees every cached block (backend::clear_session calls it).
void release_cached_blocks() noexcept;

/// The bytes the cache holds now, for tests and benchmarks.
[[nodiscard]] std::size_t cached_block_bytes() noexcept;

inline constexpr std::size_t block_cache_limit = std::size_t{1} << 30;
inline constexpr std::size_t block_alignment = 64;

}  // namespace keras::detail
