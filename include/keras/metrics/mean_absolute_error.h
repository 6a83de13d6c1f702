// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/metrics/mean.h"
#include "keras/metrics/metric.h"

#include <string>

namespace keras::metrics {

/// Options of MeanAbsoluteError, named and defaulted as Keras's arguments.
struct MeanAbsoluteErrorOptions {
  std::string name = "mean_absolute_error";
};

/// The running mean over samples of `mean(|y_pred - y_true|)` over the last axis (targets of
/// y_pred's shape, or (N,) for (N, 1)), as Keras's `MeanAbsoluteError` metric.
///
///     model.compile({.loss = "mse", .metrics = {"mae"}});
///
/// Keras: https://keras.io/api/metrics/regression_metrics/#meanabsoluteerror-class
class MeanAbsoluteError final : public Metric {
 public:
  explicit MeanAbsoluteError(MeanAbsoluteErrorOptions options = {});

  [[nodiscard]] const MeanAbsoluteErrorOptions& options() const noexcept { return options_; }

  void update_state(const Tensor& y_true, const Tensor& y_pred) override;
  [[nodiscard]] double result() const override { return mean_.result(); }
  void reset_state() override { mean_.reset_state(); }
  [[nodiscard]] std::string class_name() const override { return "MeanAbsoluteError"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  MeanAbsoluteErrorOptions options_;
  Mean mean_;  // of the per-sample values, as Keras's MeanMetricWrapper
};

}  // namespace keras::metrics
