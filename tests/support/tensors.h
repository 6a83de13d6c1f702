// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <cstdint>
#include <vector>

namespace keras::testing {

/// A float32 tensor holding 0, 1, 2, ... in row-major order: every element tells its position.
[[nodiscard]] Tensor iota(std::vector<std::int64_t> shape);

}  // namespace keras::testing
