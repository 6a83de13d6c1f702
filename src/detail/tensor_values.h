// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <vector>

namespace keras::detail {

/// The elements of a tensor of any dtype and layout as doubles, row-major: what losses and
/// metrics accumulate in, on their small batch x classes tensors.
[[nodiscard]] inline std::vector<double> to_doubles(const Tensor& tensor) {
  const Tensor widened = tensor.astype(DType::float64).contiguous();
  const double* values = widened.data<double>();
  return {values, values + widened.size()};
}

}  // namespace keras::detail
