// SPDX-License-Identifier: Apache-2.0
#include "io/file_image.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

namespace keras::io {
namespace {

FileImage image_of(const std::vector<float>& values) {
  FileImage image(values.size() * sizeof(float));
  std::memcpy(image.data(), values.data(), image.size());
  return image;
}

TEST(FileImageTest, ViewsFloatsInPlace) {
  const FileImage image = image_of({1, 2, 3, 4, 5, 6, 7});
  const std::optional<Tensor> view = image.float32_view(4, {2, 3});
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->shape(), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(view->to_vector(), (std::vector<float>{2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(image.offset_of(*view), 4u);
  EXPECT_EQ(image.float32_view(0, {})->to_vector(), (std::vector<float>{1}));  // a scalar
}

TEST(FileImageTest, ViewsNothingOutsideItOrOffAFloatsAlignment) {
  const FileImage image = image_of({1, 2, 3, 4});
  EXPECT_FALSE(image.float32_view(4, {4}).has_value());   // one float past the end
  EXPECT_FALSE(image.float32_view(2, {2}).has_value());   // not on a float boundary
  EXPECT_FALSE(image.float32_view(16, {1}).has_value());  // starts at the end
  EXPECT_FALSE(image.float32_view(std::numeric_limits<std::uint64_t>::max() - 3, {1}).has_value());
  const std::int64_t huge = std::int64_t{1} << 62;
  EXPECT_FALSE(image.float32_view(0, {huge, huge}).has_value());  // the size overflows
  EXPECT_FALSE(image.float32_view(0, {-1}).has_value());
}

TEST(FileImageTest, KnowsOnlyItsOwnViews) {
  const FileImage image = image_of({1, 2, 3, 4});
  const FileImage other = image_of({1, 2, 3, 4});
  EXPECT_FALSE(image.offset_of(*other.float32_view(0, {4})).has_value());
  EXPECT_FALSE(image.offset_of(Tensor::zeros({4})).has_value());
  EXPECT_FALSE(image.offset_of(image.float32_view(0, {2, 2})->permute({1, 0})).has_value());
}

TEST(FileImageTest, KnowsTheMachinesMemory) { EXPECT_GT(physical_memory_bytes(), 0u); }

}  // namespace
}  // namespace keras::io
