// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/tensor.h"

#include <gtest/gtest.h>

#include <functional>

namespace keras::testing {

/// Checks a backward pass against central finite differences of the scalar
/// `L = sum(forward(x) * dy)` for a random `dy`, evaluated in double precision from the
/// float32 forward pass. `backward(dy)` must return dL/dx for the last forward call.
struct GradientCheck {
  std::function<Tensor(const Tensor&)> forward;
  std::function<Tensor(const Tensor&)> backward;
  double step = 1e-2;
  double atol = 1e-3;
  double rtol = 1e-3;
};

::testing::AssertionResult gradient_matches_finite_differences(const GradientCheck& check,
                                                               const Tensor& x);

}  // namespace keras::testing
