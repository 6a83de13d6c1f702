// SPDX-License-Identifier: Apache-2.0
#include "kernels/transpose.h"

#include "keras/config.h"
#include "keras/tensor.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace keras::kernels {
namespace {

// Arbitrary bit patterns, NaN payloads and denormals among them: a transpose copies bits.
std::vector<std::uint32_t> scrambled_words(std::int64_t count) {
  std::vector<std::uint32_t> words(static_cast<std::size_t>(count));
  std::uint32_t word = 0x7fc00001U;
  for (auto& w : words) w = word = word * 2654435761U + 0x9e3779b9U;
  return words;
}

std::vector<std::uint32_t> transposed_one_by_one(const std::vector<std::uint32_t>& source,
                                                 const WordMatrices& m) {
  std::vector<std::uint32_t> destination(source.size());
  for (std::int64_t k = 0; k < m.count; ++k) {
    for (std::int64_t r = 0; r < m.rows; ++r) {
      for (std::int64_t c = 0; c < m.columns; ++c) {
        const auto matrix = k * m.rows * m.columns;
        destination[static_cast<std::size_t>(matrix + c * m.rows + r)] =
            source[static_cast<std::size_t>(matrix + r * m.columns + c)];
      }
    }
  }
  return destination;
}

bool cpu_has_avx512() { return __builtin_cpu_supports("avx512f") != 0; }

// Transposes `matrices` and checks every word; where the kernel declines (thin matrices, a
// CPU without AVX-512) the destination must be untouched.
void expect_transposes(const WordMatrices& matrices) {
  const auto source = scrambled_words(matrices.count * matrices.rows * matrices.columns);
  std::vector<std::uint32_t> destination(source.size(), 0xdeadbeefU);
  const bool transposed = transpose_words(source.data(), destination.data(), matrices);
  EXPECT_EQ(transposed, cpu_has_avx512() && matrices.rows >= 16 && matrices.columns >= 16);
  const auto expected = transposed ? transposed_one_by_one(source, matrices)
                                   : std::vector<std::uint32_t>(source.size(), 0xdeadbeefU);
  EXPECT_TRUE(destination == expected)
      << matrices.count << " x " << matrices.rows << " x " << matrices.columns;
}

TEST(TransposeTest, MovesEveryWordOfFullAndEdgeTiles) {
  for (const WordMatrices matrices :
       {WordMatrices{2, 16, 16}, WordMatrices{3, 17, 33}, WordMatrices{1, 64, 16},
        WordMatrices{2, 31, 48}, WordMatrices{1, 16, 17}, WordMatrices{2, 40, 16}}) {
    expect_transposes(matrices);
  }
}

TEST(TransposeTest, LeavesMatricesThinnerThanATileToTheCaller) {
  for (const WordMatrices matrices :
       {WordMatrices{1, 1, 1}, WordMatrices{1, 3, 5}, WordMatrices{4, 16, 1},
        WordMatrices{1, 1, 40}, WordMatrices{2, 3, 4096}, WordMatrices{1, 15, 64}}) {
    expect_transposes(matrices);
  }
}

TEST(TransposeTest, SplitsALargeBatchBetweenThreadsMidMatrix) {
  const int before = config::num_threads();
  config::set_num_threads(3);
  expect_transposes({5, 37, 2003});  // 1.4 MiB: three threads, each share ending mid-matrix
  config::set_num_threads(before);
}

TEST(TransposeTest, StreamsALargeAlignedOutput) {
  const WordMatrices matrices{4, 64, 8197};  // 8 MiB and more, rows a multiple of 16
  Tensor source = Tensor::empty({matrices.count, matrices.rows, matrices.columns});
  const auto words = scrambled_words(source.size());
  std::memcpy(source.raw_data(), words.data(), source.nbytes());
  Tensor destination = Tensor::zeros({matrices.count, matrices.columns, matrices.rows});
  ASSERT_EQ(transpose_words(source.raw_data(), destination.raw_data(), matrices), cpu_has_avx512());
  if (!cpu_has_avx512()) return;
  const auto expected = transposed_one_by_one(words, matrices);
  EXPECT_EQ(std::memcmp(destination.raw_data(), expected.data(), destination.nbytes()), 0);
}

TEST(TransposeTest, ChannelsFirstMapsCopyIntoChannelsLastOrder) {
  // (n, c, h, w) viewed as (n, h, w, c): copy_strided sees a batch of (c, h * w) matrices.
  const Tensor maps = Tensor::from_data(
      [] {
        std::vector<float> values(2 * 20 * 4 * 5);
        for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<float>(i);
        return values;
      }(),
      {2, 20, 4, 5});
  const Tensor channels_last = maps.permute({0, 2, 3, 1}).contiguous();
  for (std::int64_t n = 0; n < 2; ++n) {
    for (std::int64_t c = 0; c < 20; ++c) {
      for (std::int64_t h = 0; h < 4; ++h) {
        for (std::int64_t w = 0; w < 5; ++w) {
          ASSERT_EQ(channels_last.at({n, h, w, c}), maps.at({n, c, h, w}));
        }
      }
    }
  }
}

}  // namespace
}  // namespace keras::kernels
