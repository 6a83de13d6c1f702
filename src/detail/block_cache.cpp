// SPDX-License-Identifier: Apache-2.0
#include "detail/block_cache.h"

#include <sys/mman.h>

#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <vector>

namespace keras::detail {
namespace {

constexpr std::align_val_t alignment{block_alignment};
constexpr std::size_t smallest_cached = std::size_t{64} << 10;
constexpr std::size_t page = 4096;

// Large blocks come straight from the kernel (mmap), whose fresh pages read as zero and cost
// nothing until written. Under AddressSanitizer they come from its allocator instead, so that
// it watches their bounds too.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool large_blocks_from_kernel = false;
#elif defined(__has_feature)
constexpr bool large_blocks_from_kernel = !__has_feature(address_sanitizer);
#else
constexpr bool large_blocks_from_kernel = true;
#endif

std::byte* new_large_block(std::size_t size) {
  if constexpr (large_blocks_from_kernel) {
    void* block = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) throw std::bad_alloc();
    return static_cast<std::byte*>(block);
  } else {
    return static_cast<std::byte*>(::operator new(size, alignment));
  }
}

void delete_large_block(std::byte* block, std::size_t size) noexcept {
  if constexpr (large_blocks_from_kernel) {
    ::munmap(block, size);
  } else {
    ::operator delete(block, alignment);
  }
}

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
  return new_large_block(size);
}

std::byte* allocate_zeroed_block(std::size_t nbytes) {
  if (large_blocks_from_kernel && nbytes >= smallest_cached) {
    const std::size_t size = rounded(nbytes);
    std::byte* cached = take_cached(size);
    if (cached == nullptr) return new_large_block(size);  // zero already
    std::memset(cached, 0, nbytes);
    return cached;
  }
  std::byte* block = allocate_block(nbytes);
  if (block != nullptr) std::memset(block, 0, nbytes);
  return block;
}

void release_block(std::byte* block, std::size_t nbytes) noexcept {
  if (block == nullptr) return;
  if (nbytes < smallest_cached) {
    ::operator delete(block, alignment);
    return;
  }
  const std::size_t size = rounded(nbytes);
  {
    Cache& blocks = cache();
    const std::lock_guard lock(blocks.mutex);
    if (blocks.bytes + size <= block_cache_limit) {
      try {
        blocks.free_blocks[size].push_back(block);
        blocks.bytes += size;
        return;
      } catch (const std::bad_alloc&) {
        // No room to remember it: free it below, outside the lock.
      }
    }
  }
  delete_large_block(block, size);
}

void release_cached_blocks() noexcept {
  Cache& blocks = cache();
  const std::lock_guard lock(blocks.mutex);
  for (auto& [size, list] : blocks.free_blocks) {
    for (std::byte* block : list) delete_large_block(block, size);
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
