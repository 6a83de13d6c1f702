// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

namespace keras::kernels {

/// Copies `source` into `destination`, element by element in logical order, whatever the
/// strides of either: a batch of transposed matrices of 4-byte elements with
/// `transpose_words`, any other layout with one oneDNN reorder. Shapes and dtypes must match.
void copy_strided(const Tensor& source, Tensor& destination);

}  // namespace keras::kernels
