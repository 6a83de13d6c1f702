// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/metrics/mean.h"
#include "keras/metrics/metric.h"

#include <string>

namespace keras::metrics {

/// Options of MeanSquaredError, named and defaulted as Keras's arguments.
struct MeanSquaredErrorOptions {
  std::string name = "mean_squared_error";
};

/// The running mean over samples of `mean((y_pred - y_true)^2)` over the last axis (targets
/// of y_pred's shape, or (N,) for (N, 1)), as Keras's `MeanSquaredError` metric.
///
///     model.compile({.loss = "mae", .metrics = {"mse"}});
///
/// Keras: https://keras.io/api/metrics/regression_metrics/#meansquarederror-class
class MeanSquaredError final : public Metric {
 public:
  explicit MeanSquaredError(MeanSquaredErrorOptions options = {});

  [[nodiscard]] const MeanSquaredErrorOptions& options() const noexcept { return options_; }

  void update_state(const Tensor& y_true, const Tensor& y_pred) override;
  [[nodiscard]] double result() const override { return mean_.result(); }
  void reset_state() override { mean_.reset_state(); }
  [[nodiscard]] std::string class_name() const override { return "MeanSquaredError"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  MeanSquaredErrorOptions options_;
  Mean mean_;  // of the per-sample values, as Keras's MeanMetricWrapper
};

}  // namespace keras::metrics
