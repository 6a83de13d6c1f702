// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/metrics/metric.h"

#include <string>

namespace keras::metrics {

/// Options of Mean, named and defaulted as Keras's arguments.
struct MeanOptions {
  std::string name = "mean";
};

/// The weighted running mean of the values it is given, as Keras's `Mean`: `result()` is
/// `total / count` (0 before any update). fit keeps the epoch's loss with one.
///
///     keras::metrics::Mean loss_tracker;
///     loss_tracker.update_state(batch_loss, /*sample_weight=*/batch_size);
///
/// Keras: https://keras.io/api/metrics/#mean-class
class Mean final : public Metric {
 public:
  explicit Mean(MeanOptions options = {});

  /// Adds `value` with weight `sample_weight` to the state.
  void update_state(double value, double sample_weight = 1.0);
  /// Adds values (Python: `update_state(values, sample_weight=None)`): a tensor of rank > 1
  /// is first averaged per sample (over all axes but the first). Without `sample_weight`
  /// (an undefined tensor) each sample weighs 1; otherwise its shape is the first axes of
  /// `values`' shape (a scalar weighs the batch's mean), and the values are averaged down to
  /// that shape before being weighted.
  void update_state(const Tensor& values, const Tensor& sample_weight) override;
  void update_state(const Tensor& values) { update_state(values, Tensor()); }
  [[nodiscard]] double result() const override;
  void reset_state() override;
  [[nodiscard]] std::string class_name() const override { return "Mean"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  double total_ = 0.0;  // sum of weighted values, in double over a whole epoch
  double count_ = 0.0;  // sum of weights
};

}  // namespace keras::metrics
