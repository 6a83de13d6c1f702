// SPDX-License-Identifier: Apache-2.0
// What the loss tests share: small tensors, and the cases every loss that averages an
// elementwise error over the last axis (mean squared and mean absolute error) must pass.
#pragma once

#include "keras/error.h"
#include "keras/tensor.h"
#include "support/expect_error.h"
#include "support/loss_gradient.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace keras::testing {

/// A float32 tensor of `shape` holding `values`.
inline Tensor floats(std::vector<float> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

/// An int32 tensor of class labels.
inline Tensor labels(std::vector<std::int32_t> values, std::vector<std::int64_t> shape) {
  return Tensor::from_data(values, std::move(shape));
}

/// The per-sample values keep every axis but the last, and the default reduction is their mean.
template <typename MeanError>
void expect_keeps_every_axis_but_the_last_per_sample() {
  const MeanError loss;
  const Tensor y_true = Tensor::uniform({2, 3, 4}, -1.0f, 1.0f, 1);
  const Tensor y_pred = Tensor::uniform({2, 3, 4}, -1.0f, 1.0f, 2);
  const Tensor per_sample = loss.per_sample(y_true, y_pred);
  EXPECT_EQ(per_sample.shape(), (std::vector<std::int64_t>{2, 3}));
  const std::vector<float> values = per_sample.to_vector();
  double mean = 0.0;
  for (const float value : values) mean += value / 6.0;
  EXPECT_NEAR(loss(y_true, y_pred), mean, 1e-6);
}

template <typename MeanError>
void expect_gradient_matches_finite_differences() {
  const Tensor y_true = Tensor::uniform({3, 4}, -1.0f, 1.0f, 3);
  const Tensor y_pred = Tensor::uniform({3, 4}, -1.0f, 1.0f, 4);
  EXPECT_TRUE(loss_gradient_matches_finite_differences(MeanError(), y_true, y_pred));
  EXPECT_TRUE(
      loss_gradient_matches_finite_differences(MeanError({.reduction = "sum"}), y_true, y_pred));
}

/// Keras would broadcast (N, 1) targets against (N, 3) predictions; kerascpp refuses, naming
/// the loss `name`.
template <typename MeanError>
void expect_rejects_targets_of_another_shape(const std::string& name) {
  const MeanError loss;
  EXPECT_EQ(error_message<ValueError>([&] {
              loss.check_targets({None, 1}, {None, 3}, DType::float32);
            }),
            "Loss \"" + name +
                "\": Arguments `target` and `output` must have the same shape. Received: "
                "target.shape=(None, 1), output.shape=(None, 3)");
  EXPECT_EQ(error_message<ValueError>([&] { loss.check_targets({}, {}, DType::float32); }),
            "Loss \"" + name +
                "\": Argument `output` must be at least rank 1. Received: output.shape=()");
}

}  // namespace keras::testing
