// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>

namespace keras::kernels {

/// Fills `mask` (contiguous float32) for inverted dropout: each element is `1 / (1 - rate)`
/// with probability `1 - rate`, else 0 (every element 0 when `rate` is 1). Element i is
/// decided by a 32-bit word hashed from (seed, counter, i), compared with `rate * 2^32`, so
/// a (seed, counter) pair gives the same mask on every platform, and a layer's n-th call
/// needs nothing from the calls before it.
void fill_dropout_mask(Tensor& mask, double rate, std::uint64_t seed, std::uint64_t counter);

/// The value of a kept element: `1 / (1 - rate)` rounded to float32 (0 when `rate` is 1).
[[nodiscard]] float dropout_scale(double rate) noexcept;

}  // namespace keras::kernels
