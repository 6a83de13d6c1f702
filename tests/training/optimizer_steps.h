// SPDX-License-Identifier: Apache-2.0
// What the optimizer tests share: small vectors, and a few updates of one variable.
#pragma once

#include "keras/optimizers/optimizer.h"
#include "keras/tensor.h"
#include "keras/variable.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace keras::testing {

/// A rank-1 float32 tensor holding `data`.
inline Tensor vector_of(std::vector<float> data) {
  const auto size = static_cast<std::int64_t>(data.size());
  return Tensor::from_data(data, {size});
}

/// A variable whose gradient is already set, as backward leaves it.
inline Variable variable_with_gradient(std::string path, std::vector<float> value,
                                       std::vector<float> gradient) {
  Variable variable(std::move(path), vector_of(std::move(value)), true);
  variable.gradient().copy_from(vector_of(std::move(gradient)));
  return variable;
}

/// Applies `gradients`, one per step, to a variable starting at `start`; its value after each.
inline std::vector<Tensor> values_after_steps(optimizers::Optimizer& optimizer,
                                              std::vector<float> start,
                                              const std::vector<std::vector<float>>& gradients) {
  Variable weight("dense/kernel", vector_of(std::move(start)), true);
  std::vector<Tensor> after;
  for (const auto& gradient : gradients) {
    weight.gradient().copy_from(vector_of(gradient));
    optimizer.apply({weight});
    after.push_back(weight.value().clone());
  }
  return after;
}

}  // namespace keras::testing
