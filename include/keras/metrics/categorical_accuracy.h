// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/metrics/mean.h"
#include "keras/metrics/metric.h"

#include <string>

namespace keras::metrics {

/// Options of CategoricalAccuracy, named and defaulted as Keras's arguments.
struct CategoricalAccuracyOptions {
  std::string name = "categorical_accuracy";
};

/// How often the predicted class (the argmax of y_pred's last axis) is the one-hot target's
/// class (the argmax of y_true, the same shape), counted over every sample since the last
/// reset, as Keras's `CategoricalAccuracy`.
///
///     model.compile({.loss = "categorical_crossentropy", .metrics = {"categorical_accuracy"}});
///
/// Keras: https://keras.io/api/metrics/accuracy_metrics/#categoricalaccuracy-class
class CategoricalAccuracy final : public Metric {
 public:
  explicit CategoricalAccuracy(CategoricalAccuracyOptions options = {});

  [[nodiscard]] const CategoricalAccuracyOptions& options() const noexcept { return options_; }

  void update_state(const Tensor& y_true, const Tensor& y_pred) override;
  [[nodiscard]] double result() const override { return mean_.result(); }
  void reset_state() override { mean_.reset_state(); }
  [[nodiscard]] std::string class_name() const override { return "CategoricalAccuracy"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  CategoricalAccuracyOptions options_;
  Mean mean_;  // of the per-sample values, as Keras's MeanMetricWrapper
};

}  // namespace keras::metrics
