// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/config.h"
#include "kernels/image_layout.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <vector>

namespace keras::kernels {

/// How an image tensor maps to oneDNN's memory: oneDNN's logical order is (N, C, H, W)
/// whatever the layout; the descriptor's tag says how the tensor stores it (NHWC or NCHW as
/// the data format says, or channel blocks).
[[nodiscard]] dnnl::memory::dims logical_dims(const std::vector<std::int64_t>& shape,
                                              DataFormat format, ImageLayout layout);
/// The tensor shape that holds logical (N, C, H, W) dims.
[[nodiscard]] std::vector<std::int64_t> tensor_shape(const dnnl::memory::dims& nchw,
                                                     DataFormat format, ImageLayout layout);
/// float32 NHWC or NCHW, as the data format says.
[[nodiscard]] dnnl::memory::desc plain_desc(const dnnl::memory::dims& nchw, DataFormat format);
[[nodiscard]] dnnl::memory::desc image_desc(const dnnl::memory::dims& nchw, DataFormat format,
                                            ImageLayout layout);

}  // namespace keras::kernels
