// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/optimizers/optimizer.h"

#include <optional>
#include <string>
#include <vector>

namespace keras::optimizers {

/// Options of RMSprop, named, ordered and defaulted as Keras's arguments.
struct RMSpropOptions {
  double learning_rate = 0.001;
  double rho = 0.9;
  double momentum = 0.0;  // > 0 keeps a momentum slot
  double epsilon = 1e-7;  // inside the square root
  bool centered = false;  // divide by the estimated variance rather than the second moment
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name = "rmsprop";
};

/// RMSprop as Keras 3 computes it: `v = rho * v + (1 - rho) * g^2`,
/// `w -= lr * g / sqrt(v + epsilon)` (centered: `sqrt(v - a^2 + epsilon)` with `a` the
/// moving average of g; with momentum the increment goes through `mom = momentum * mom + inc`).
/// Keras's default optimizer for compile().
///
///     model.compile({.optimizer = keras::optimizers::RMSprop({.learning_rate = 1e-4}),
///                    .loss = "mse"});
///
/// Keras: https://keras.io/api/optimizers/rmsprop/
class RMSprop final : public Optimizer {
 public:
  explicit RMSprop(RMSpropOptions options = {});

  /// The options as constructed (learning_rate() follows set_learning_rate()).
  [[nodiscard]] const RMSpropOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::string class_name() const override { return "RMSprop"; }
  [[nodiscard]] std::string get_config() const override;

 protected:
  [[nodiscard]] std::vector<std::string> slot_names() const override;
  void update(Tensor& value, const Tensor& gradient, std::vector<Tensor>& slots,
              std::int64_t step) override;

 private:
  RMSpropOptions options_;
};

}  // namespace keras::optimizers
