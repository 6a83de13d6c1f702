// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <string>

namespace keras::io {

/// Reads an IDX file (the format of the MNIST files), gzip-compressed or not: a big-endian
/// magic number (two zero bytes, a type code, the number of dimensions), one big-endian
/// int32 per dimension, then the data in row-major order. Type codes 0x08 (uint8), 0x0C
/// (int32), 0x0D (float32) and 0x0E (float64) keep their dtype; the signed 8- and 16-bit
/// codes are not read. Throws FileError naming the file and what is wrong with it; sizes are
/// checked against the file's length before anything is allocated.
[[nodiscard]] Tensor read_idx(const std::string& path);

}  // namespace keras::io
