// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <string>

namespace keras::utils {

/// Reads a NumPy `.npy` file (format 1.x-3.x, little-endian `<f4` or `<i4`, C order).
/// Throws FileError naming the file and what is wrong with it.
[[nodiscard]] Tensor load_npy(const std::string& path);

/// Writes `tensor` as a `.npy` file (format 1.0, C order), atomically: a failure leaves
/// any existing file untouched.
void save_npy(const std::string& path, const Tensor& tensor);

}  // namespace keras::utils
