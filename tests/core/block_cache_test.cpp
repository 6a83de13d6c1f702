// SPDX-License-Identifier: Apache-2.0
#include "detail/block_cache.h"

#include "keras/backend.h"
#include "keras/tensor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

namespace keras::detail {
namespace {

class BlockCacheTest : public ::testing::Test {
 protected:
  void SetUp() override { release_cached_blocks(); }
  void TearDown() override { release_cached_blocks(); }
};

TEST_F(BlockCacheTest, HandsAFreedLargeBlockToTheNextOfTheSameSize) {
  constexpr std::size_t size = std::size_t{1} << 20;
  std::byte* first = allocate_block(size);
  release_block(first, size);
  EXPECT_EQ(cached_block_bytes(), size);
  std::byte* again = allocate_block(size - 100);  // rounds to the same pages
  EXPECT_EQ(again, first);
  EXPECT_EQ(cached_block_bytes(), 0u);
  std::byte* other = allocate_block(2 * size);
  EXPECT_NE(other, first);
  release_block(again, size - 100);
  release_block(other, 2 * size);
  EXPECT_EQ(cached_block_bytes(), 3 * size);
}

TEST_F(BlockCacheTest, LeavesSmallBlocksToTheAllocator) {
  std::byte* small = allocate_block(1000);
  release_block(small, 1000);
  EXPECT_EQ(cached_block_bytes(), 0u);
  EXPECT_EQ(allocate_block(0), nullptr);
}

TEST_F(BlockCacheTest, AlignsBlocksForVectorKernels) {
  for (const std::size_t size : {std::size_t{24}, std::size_t{100'000}}) {
    std::byte* block = allocate_block(size);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(block) % 64, 0u);
    release_block(block, size);
  }
}

TEST_F(BlockCacheTest, ZeroesABlockOnlyWhereItWasUsedBefore) {
  constexpr std::size_t size = std::size_t{1} << 20;
  for (int round = 0; round < 2; ++round) {  // fresh, then the cached block written below
    std::byte* block = allocate_zeroed_block(size);
    for (std::size_t i = 0; i < size; i += 4093) EXPECT_EQ(block[i], std::byte{0}) << i;
    std::memset(block, 0xff, size);
    release_block(block, size);
  }
  std::byte* small = allocate_zeroed_block(100);
  EXPECT_EQ(small[99], std::byte{0});
  release_block(small, 100);
  EXPECT_EQ(allocate_zeroed_block(0), nullptr);
}

TEST_F(BlockCacheTest, ClearSessionFreesTheCache) {
  { const Tensor activations = Tensor::zeros({128, 26, 26, 32}); }
  EXPECT_EQ(cached_block_bytes(), std::size_t{128 * 26 * 26 * 32 * 4});
  backend::clear_session();
  EXPECT_EQ(cached_block_bytes(), 0u);
}

// What a training step does: the same shapes every step, so after the first step no tensor
// needs fresh memory.
TEST_F(BlockCacheTest, ATensorOfARepeatedShapeReusesTheMemory) {
  const void* first = nullptr;
  {
    const Tensor step = Tensor::empty({128, 13, 13, 32});
    first = step.raw_data();
  }
  const Tensor next = Tensor::empty({128, 13, 13, 32});
  EXPECT_EQ(next.raw_data(), first);
}

}  // namespace
}  // namespace keras::detail
