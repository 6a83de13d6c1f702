// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <string>

namespace keras::utils {

/// Reads a NumPy `.npy` file (format 1.x-3.x, C order, little-endian float32, float64,
/// int32, int64 or uint8), keeping its dtype (`astype` converts).
/// Throws FileError naming the file and what is wrong with it.
[[nodiscard]] Tensor load_npy(const std::string& path);

/// Writes `tensor` in its dtype as a `.npy` file (format 1.0, C order), atomically: a failure
/// leaves any existing file untouched.
void save_npy(const std::string& path, const Tensor& tensor);

}  // namespace keras::utils
