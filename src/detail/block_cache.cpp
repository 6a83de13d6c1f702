// SPDX-License-Identifier: Apache-2.0
#include "detail/block_cache.h"

#include <map>
#include <mutex>
#include <new>
#include <vector>

namespace keras::detail {
namespace {

constexpr std::align_val_t alignment{64};
constexpr std::size_t smallest_cached = std::size_t{64} << 10;
constexpr std::size_t page = 4096;

// Sizes that differ by less than a page share their blocks.
std::size_t rounded(std::size_t nbytes) { return (nbytes + page - 1) / page * page; }

struct Cache {
  std::mutex mutex;
  std::map<std::size_t, std::vector<std::byte*>> free_blocks;
  std::size_t bytes = 0;
};

Cache& cache() {
  static auto* instance = new Cache();  // never destroyed: tensors may outlive static objects
  return *instance;
}

std::byte* take_cached(std::size_t size) {
  Cache& blocks = cache();
  const std::lock_guard lock(blocks.mutex);
  const auto found = blocks.free_blocks.find(size);
  if (found == blocks.free_blocks.end() || found->second.empty()) return nullptr;
  std::byte* block = found->second.back();
  found->second.pop_back();
  blocks.bytes -= size;
  return block;
}

}  // namespace

std::byte* allocate_block(std::size_t nbytes) {
  if (nbytes == 0) return nullptr;
  if (nbytes < smallest_cached) return static_cast<std::byte*>(::operator new(nbytes, alignment));
  const std::size_t size = rounded(nbytes);
  if (std::byte* block = take_cached(size)) return block;
  return static_cast<std::byte*>(::operator new(size, alignment));
}

void release_block(std::byte* block, std::size_t nbytes) noexcept {
  if (block == nullptr) return;
  if (nbytes >= smallest_cached) {
    const std::size_t size = rounded(nbytes);
    Cache& blocks = cache();
    const std::lock_guard lock(blocks.mutex);
    if (blocks.bytes + size <= block_cache_limit) {
      try {
        blocks.free_blocks[size].push_back(block);
        blocks.bytes += size;
        return;
      } catch (const std::bad_alloc&) {
        // No room to remember it: free it below.
      }
    }
  }
  ::operator delete(block, alignment);
}

void release_cached_blocks() noexcept {
  Cache& blocks = cache();
  const std::lock_guard lock(blocks.mutex);
  for (auto& [size, list] : blocks.free_blocks) {
    for (std::byte* block : list) ::operator delete(block, alignment);
  }
  blocks.free_blocks.clear();
  blocks.bytes = 0;
}

std::size_t cached_block_bytes() noexcept {
  Cache& blocks = cache();
  const std::lock_guard lock(blocks.mutex);
  return blocks.bytes;
}

}  // namespace keras::detail
