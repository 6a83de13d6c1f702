// SPDX-License-Identifier: Apache-2.0
#include "kernels/image_layout.h"

#include "keras/tensor.h"
#include "support/tensor_matchers.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace keras::kernels {
namespace {

using keras::testing::all_close;

TEST(ImageLayoutTest, ChannelBlocksShapeAnImageAsOneDnnsNChw16c) {
  const std::vector<std::int64_t> nhwc{2, 5, 7, 48};
  const std::vector<std::int64_t> blocks{2, 3, 5, 7, 16};
  EXPECT_EQ(image_shape(nhwc, ImageLayout::channel_blocks), blocks);
  EXPECT_EQ(nhwc_shape(blocks, ImageLayout::channel_blocks), nhwc);
  EXPECT_EQ(image_shape(nhwc, ImageLayout::plain), nhwc);
  EXPECT_EQ(nhwc_shape(nhwc, ImageLayout::plain), nhwc);
}

TEST(ImageLayoutTest, ABlockHoldsSixteenChannelsOfOnePixel) {
  const Tensor image = Tensor::uniform({2, 3, 4, 32}, -1.0f, 1.0f, 1);
  const Tensor blocks = to_channel_blocks(image);
  ASSERT_EQ(blocks.shape(), (std::vector<std::int64_t>{2, 2, 3, 4, 16}));
  for (std::int64_t n = 0; n < 2; ++n) {
    for (std::int64_t h = 0; h < 3; ++h) {
      for (std::int64_t w = 0; w < 4; ++w) {
        for (std::int64_t c = 0; c < 32; ++c) {
          ASSERT_EQ(blocks.at({n, c / 16, h, w, c % 16}), image.at({n, h, w, c}))
              << n << ", " << h << ", " << w << ", " << c;
        }
      }
    }
  }
}

TEST(ImageLayoutTest, FromChannelBlocksGivesTheImageBack) {
  const Tensor image = Tensor::uniform({3, 5, 6, 64}, -1.0f, 1.0f, 2);
  EXPECT_TRUE(all_close(from_channel_blocks(to_channel_blocks(image)), image));
}

TEST(ImageLayoutTest, AStridedImageGoesIntoChannelBlocksByValue) {
  const Tensor nchw = Tensor::uniform({2, 16, 3, 3}, -1.0f, 1.0f, 3);
  const Tensor image = nchw.permute({0, 2, 3, 1});  // a view, not contiguous
  EXPECT_TRUE(all_close(from_channel_blocks(to_channel_blocks(image)), image.contiguous()));
}

}  // namespace
}  // namespace keras::kernels
