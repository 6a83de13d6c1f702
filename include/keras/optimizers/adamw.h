// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/optimizers/adam.h"

#include <optional>
#include <string>

namespace keras::optimizers {

/// Options of AdamW, named, ordered and defaulted as Keras's arguments.
struct AdamWOptions {
  double learning_rate = 0.001;
  std::optional<double> weight_decay = 0.004;  // required: empty is a ValueError, as in Keras
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;
  bool amsgrad = false;  // true is not implemented (NotImplementedError)
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name = "adamw";
};

/// Adam with decoupled weight decay: before each update `w -= w * weight_decay * lr`, on
/// every variable (Keras 3 excludes none unless asked), then Adam's step.
///
///     model.compile({.optimizer = keras::optimizers::AdamW({.weight_decay = 0.01}),
///                    .loss = "categorical_crossentropy"});
///
/// Keras: https://keras.io/api/optimizers/adamw/
class AdamW final : public Adam {
 public:
  explicit AdamW(AdamWOptions options = {});

  /// The options as constructed (learning_rate() follows set_learning_rate()).
  [[nodiscard]] const AdamWOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::string class_name() const override { return "AdamW"; }

 private:
  AdamWOptions options_;
};

}  // namespace keras::optimizers
