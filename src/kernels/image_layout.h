// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <vector>

namespace keras::kernels {

/// How a channels-last image travels between two layers that run on oneDNN's convolution
/// and pooling kernels. `plain` is the Tensor's NHWC. `channel_blocks` is oneDNN's
/// nChw16c, a tensor of shape (N, C / 16, H, W, 16): the layout its AVX-512 convolutions
/// (direct and Winograd) read and write, so that Sequential can keep a chain such as
/// Conv2D -> MaxPooling2D -> Conv2D in it with no reorder between the layers
/// (docs/architecture.md, "Channel blocks").
enum class ImageLayout { plain, channel_blocks };

struct ImageLayouts {
  ImageLayout input = ImageLayout::plain;
  ImageLayout output = ImageLayout::plain;

  friend bool operator==(const ImageLayouts&, const ImageLayouts&) = default;
};

inline constexpr std::int64_t channel_block = 16;

/// Whether oneDNN runs convolutions and pooling in channel blocks of 16 with generated
/// kernels on this CPU (AVX-512; elsewhere only its reference loops, a thousand times
/// slower, take that layout).
[[nodiscard]] bool has_channel_block_kernels();

/// The shape of an NHWC image's tensor in `layout`; channels a multiple of 16 for
/// channel blocks.
[[nodiscard]] std::vector<std::int64_t> image_shape(const std::vector<std::int64_t>& nhwc,
                                                    ImageLayout layout);
/// (N, H, W, C) of an image's tensor in `layout`.
[[nodiscard]] std::vector<std::int64_t> nhwc_shape(const std::vector<std::int64_t>& shape,
                                                   ImageLayout layout);

/// The image in the other layout (one copy).
[[nodiscard]] Tensor to_channel_blocks(const Tensor& nhwc);
[[nodiscard]] Tensor from_channel_blocks(const Tensor& blocks);

}  // namespace keras::kernels
