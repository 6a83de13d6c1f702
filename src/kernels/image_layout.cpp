// SPDX-License-Identifier: Apache-2.0
#include "kernels/image_layout.h"

#include "kernels/engine.h"
#include "kernels/reorder.h"

namespace keras::kernels {

bool has_channel_block_kernels() {
  static const bool has = [] {
    const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
    const auto avx512_core = static_cast<unsigned>(dnnl::cpu_isa::avx512_core);
    // ISAs are bit sets: avx2_vnni's value is above avx512_core's.
    return (isa & avx512_core) == avx512_core;
  }();
  return has;
}

std::vector<std::int64_t> image_shape(const std::vector<std::int64_t>& nhwc, ImageLayout layout) {
  if (layout == ImageLayout::plain) return nhwc;
  return {nhwc[0], nhwc[3] / channel_block, nhwc[1], nhwc[2], channel_block};
}

std::vector<std::int64_t> nhwc_shape(const std::vector<std::int64_t>& shape, ImageLayout layout) {
  if (layout == ImageLayout::plain) return shape;
  return {shape[0], shape[2], shape[3], shape[1] * shape[4]};
}

// Channel blocks (N, C / 16, H, W, 16) seen with their axes as (N, H, W, C / 16, 16) are the
// NHWC image split into blocks of channels.
Tensor to_channel_blocks(const Tensor& nhwc) {
  Tensor blocks = Tensor::empty(image_shape(nhwc.shape(), ImageLayout::channel_blocks));
  Tensor as_nhwc = blocks.permute({0, 2, 3, 1, 4});
  copy_strided(nhwc.reshape(as_nhwc.shape()), as_nhwc);
  return blocks;
}

Tensor from_channel_blocks(const Tensor& blocks) {
  Tensor nhwc = Tensor::empty(nhwc_shape(blocks.shape(), ImageLayout::channel_blocks));
  Tensor split =
      nhwc.reshape({blocks.dim(0), blocks.dim(2), blocks.dim(3), blocks.dim(1), channel_block});
  copy_strided(blocks.permute({0, 2, 3, 1, 4}), split);
  return nhwc;
}

}  // namespace keras::kernels
