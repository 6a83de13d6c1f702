// SPDX-License-Identifier: Apache-2.0
#include "support/finite_difference.h"

#include <fmt/format.h>

#include <cmath>

namespace keras::testing {
namespace {

double weighted_sum(const Tensor& y, const Tensor& dy) {
  const auto values = y.to_vector();
  const auto weights = dy.to_vector();
  double sum = 0.0;
  for (std::size_t i = 0; i < values.size(); ++i) sum += double{values[i]} * double{weights[i]};
  return sum;
}

}  // namespace

::testing::AssertionResult gradient_matches_finite_differences(const GradientCheck& check,
                                                               const Tensor& x) {
  const Tensor y = check.forward(x);
  const Tensor dy = Tensor::uniform(y.shape(), -1.0f, 1.0f, /*seed=*/7);
  (void)check.forward(x);
  const Tensor analytic = check.backward(dy).contiguous();
  if (analytic.shape() != x.shape()) {
    return ::testing::AssertionFailure() << "backward returned a gradient of another shape";
  }
  Tensor probe = x.clone();
  float* values = probe.data<float>();
  const float* gradient = analytic.data<float>();
  for (std::int64_t i = 0; i < probe.size(); ++i) {
    const float original = values[i];
    values[i] = original + static_cast<float>(check.step);
    const double above = weighted_sum(check.forward(probe), dy);
    values[i] = original - static_cast<float>(check.step);
    const double below = weighted_sum(check.forward(probe), dy);
    values[i] = original;
    const double numeric = (above - below) / (2 * check.step);
    if (std::abs(gradient[i] - numeric) > check.atol + check.rtol * std::abs(numeric)) {
      return ::testing::AssertionFailure()
             << fmt::format("dL/dx[{}] is {:.7g} by backward, {:.7g} by finite differences", i,
                            gradient[i], numeric);
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace keras::testing
