// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/metrics/mean.h"
#include "keras/metrics/metric.h"

#include <string>

namespace keras::metrics {

/// Options of BinaryAccuracy, named and defaulted as Keras's arguments.
struct BinaryAccuracyOptions {
  std::string name = "binary_accuracy";
  double threshold = 0.5;  // in (0, 1); predictions above it count as 1
};

/// How often `y_pred > threshold` equals the 0/1 target (y_pred's shape, or (N,) for
/// (N, 1)), averaged over the last axis per sample and counted over every sample since the
/// last reset, as Keras's `BinaryAccuracy`.
///
///     model.compile({.loss = "binary_crossentropy", .metrics =
///     {keras::metrics::BinaryAccuracy()}});
///
/// Keras: https://keras.io/api/metrics/accuracy_metrics/#binaryaccuracy-class
class BinaryAccuracy final : public Metric {
 public:
  explicit BinaryAccuracy(BinaryAccuracyOptions options = {});

  [[nodiscard]] const BinaryAccuracyOptions& options() const noexcept { return options_; }

  void update_state(const Tensor& y_true, const Tensor& y_pred) override;
  [[nodiscard]] double result() const override { return mean_.result(); }
  void reset_state() override { mean_.reset_state(); }
  [[nodiscard]] std::string class_name() const override { return "BinaryAccuracy"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  BinaryAccuracyOptions options_;
  Mean mean_;  // of the per-sample values, as Keras's MeanMetricWrapper
};

}  // namespace keras::metrics
