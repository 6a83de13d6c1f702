// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <string>

namespace keras::utils {

/// Reads a PNG image as a uint8 tensor (height, width, channels) with `channels` 1 (grey)
/// or 3 (RGB): colour, palette, alpha and 16-bit images are converted, as Keras's
/// `load_img(color_mode="grayscale" | "rgb")` does. Throws FileError naming the file.
[[nodiscard]] Tensor load_png(const std::string& path, std::int64_t channels);

}  // namespace keras::utils
