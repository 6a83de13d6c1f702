// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/metrics/mean.h"
#include "keras/metrics/metric.h"

#include <string>

namespace keras::metrics {

/// Options of SparseCategoricalAccuracy, named and defaulted as Keras's arguments.
struct SparseCategoricalAccuracyOptions {
  std::string name = "sparse_categorical_accuracy";
};

/// How often the predicted class (the argmax of y_pred's last axis) equals the class label
/// (y_pred's shape without its last axis, or with a last axis of 1), counted over every
/// sample since the last reset, as Keras's `SparseCategoricalAccuracy`.
///
///     model.compile({.loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
///
/// Keras: https://keras.io/api/metrics/accuracy_metrics/#sparsecategoricalaccuracy-class
class SparseCategoricalAccuracy final : public Metric {
 public:
  explicit SparseCategoricalAccuracy(SparseCategoricalAccuracyOptions options = {});

  [[nodiscard]] const SparseCategoricalAccuracyOptions& options() const noexcept {
    return options_;
  }

  void update_state(const Tensor& y_true, const Tensor& y_pred) override;
  [[nodiscard]] double result() const override { return mean_.result(); }
  void reset_state() override { mean_.reset_state(); }
  [[nodiscard]] std::string class_name() const override { return "SparseCategoricalAccuracy"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  SparseCategoricalAccuracyOptions options_;
  Mean mean_;  // of the per-sample values, as Keras's MeanMetricWrapper
};

}  // namespace keras::metrics
