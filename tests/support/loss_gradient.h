// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/losses/loss.h"
#include "support/finite_difference.h"

#include <gtest/gtest.h>

namespace keras::testing {

/// Checks `loss.value_and_gradient(y_true, y_pred).gradient` against central finite
/// differences of the reduced loss with respect to each element of `y_pred`.
inline ::testing::AssertionResult loss_gradient_matches_finite_differences(
    const losses::Loss& loss, const Tensor& y_true, const Tensor& y_pred, double step = 1e-3,
    double atol = 1e-3, double rtol = 1e-2) {
  const auto forward = [&](const Tensor& prediction) {
    return Tensor::full({}, loss(y_true, prediction));
  };
  const auto backward = [&](const Tensor& grad_output) {
    const double scale = grad_output.to_vector().at(0);
    const std::vector<float> gradient =
        loss.value_and_gradient(y_true, y_pred).gradient.to_vector();
    std::vector<float> scaled(gradient.size());
    for (std::size_t i = 0; i < gradient.size(); ++i) {
      scaled[i] = static_cast<float>(gradient[i] * scale);
    }
    return Tensor::from_data(scaled, y_pred.shape());
  };
  return gradient_matches_finite_differences(
      {.forward = forward, .backward = backward, .step = step, .atol = atol, .rtol = rtol}, y_pred);
}

}  // namespace keras::testing
