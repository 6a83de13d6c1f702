// SPDX-License-Identifier: Apache-2.0
#include "support/tensors.h"

#include <numeric>

namespace keras::testing {

Tensor iota(std::vector<std::int64_t> shape) {
  Tensor tensor = Tensor::empty(std::move(shape));
  std::iota(tensor.data<float>(), tensor.data<float>() + tensor.size(), 0.0f);
  return tensor;
}

}  // namespace keras::testing
