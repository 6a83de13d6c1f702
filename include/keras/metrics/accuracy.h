// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/metrics/mean.h"
#include "keras/metrics/metric.h"

#include <string>

namespace keras::metrics {

/// Options of Accuracy, named and defaulted as Keras's arguments.
struct AccuracyOptions {
  std::string name = "accuracy";
};

/// How often y_pred equals y_true exactly (the same shape, or (N,) for (N, 1)), averaged
/// over the last axis per sample and counted over every sample since the last reset, as
/// Keras's `Accuracy` class. (The string "accuracy" in compile() picks a binary, sparse or
/// categorical accuracy instead; see keras::metrics::get.)
///
///     keras::metrics::Accuracy accuracy;
///     accuracy.update_state(y_true, y_pred);
///
/// Keras: https://keras.io/api/metrics/accuracy_metrics/#accuracy-class
class Accuracy final : public Metric {
 public:
  explicit Accuracy(AccuracyOptions options = {});

  [[nodiscard]] const AccuracyOptions& options() const noexcept { return options_; }

  void update_state(const Tensor& y_true, const Tensor& y_pred) override;
  [[nodiscard]] double result() const override { return mean_.result(); }
  void reset_state() override { mean_.reset_state(); }
  [[nodiscard]] std::string class_name() const override { return "Accuracy"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  AccuracyOptions options_;
  Mean mean_;  // of the per-sample values, as Keras's MeanMetricWrapper
};

}  // namespace keras::metrics
