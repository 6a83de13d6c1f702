// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

namespace keras::kernels {

/// `count` row-major matrices of `rows` x `columns` 4-byte words, one after another.
struct WordMatrices {
  std::int64_t count, rows, columns;
};

/// Writes each matrix of `source` transposed (`columns` x `rows`, row-major) into
/// `destination`, bit for bit, on oneDNN's threads. Returns false, having written nothing,
/// for matrices under 16 rows or columns and on a CPU without AVX-512: the caller copies
/// another way.
[[nodiscard]] bool transpose_words(const void* source, void* destination,
                                   const WordMatrices& matrices);

}  // namespace keras::kernels
