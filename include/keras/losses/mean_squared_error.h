// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/losses/loss.h"

#include <string>

namespace keras::losses {

/// Options of MeanSquaredError, named and defaulted as Keras's arguments.
struct MeanSquaredErrorOptions {
  std::string reduction = "sum_over_batch_size";
  std::string name = "mean_squared_error";
};

/// Per sample, the mean of `(y_pred - y_true)^2` over the last axis. Targets have
/// y_pred's shape; targets (N,) also go with predictions (N, 1).
///
///     model.compile({.loss = keras::losses::MeanSquaredError()});   // or .loss = "mse"
///
/// Keras: https://keras.io/api/losses/regression_losses/#meansquarederror-class
class MeanSquaredError final : public Loss {
 public:
  explicit MeanSquaredError(MeanSquaredErrorOptions options = {});

  [[nodiscard]] const MeanSquaredErrorOptions& options() const noexcept { return options_; }

  [[nodiscard]] Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
  [[nodiscard]] ValueAndGradient value_and_gradient(const Tensor& y_true,
                                                    const Tensor& y_pred) const override;
  void check_targets(const Shape& y_true, const Shape& y_pred, DType y_true_dtype) const override;
  [[nodiscard]] std::string class_name() const override { return "MeanSquaredError"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  MeanSquaredErrorOptions options_;
};

}  // namespace keras::losses
