// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/optimizers/optimizer.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keras::optimizers {

/// Options of Adam, named, ordered and defaulted as Keras's arguments.
struct AdamOptions {
  double learning_rate = 0.001;
  double beta_1 = 0.9;
  double beta_2 = 0.999;
  double epsilon = 1e-7;  // Keras's "epsilon hat": added to sqrt(v), after bias correction
  bool amsgrad = false;   // true is not implemented (NotImplementedError)
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name = "adam";
};

/// Adam as Keras 3 computes it, the bias correction folded into the step size:
/// `alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)`, `m += (g - m) * (1 - beta_1)`,
/// `v += (g^2 - v) * (1 - beta_2)`, `w -= alpha * m / (sqrt(v) + epsilon)`.
///
///     model.compile({.optimizer = keras::optimizers::Adam({.learning_rate = 3e-4}),
///                    .loss = "categorical_crossentropy"});
///
/// Keras: https://keras.io/api/optimizers/adam/
class Adam : public Optimizer {
 public:
  explicit Adam(AdamOptions options = {});

  /// The options as constructed (learning_rate() follows set_learning_rate()).
  [[nodiscard]] const AdamOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::string class_name() const override { return "Adam"; }
  [[nodiscard]] std::string get_config() const override;

 protected:
  // For AdamW, which is Adam with a weight decay it must have, as Keras's AdamW subclasses Adam.
  Adam(AdamOptions options, std::string_view class_name);

  [[nodiscard]] std::vector<std::string> slot_names() const override;
  void update(Tensor& value, const Tensor& gradient, std::vector<Tensor>& slots,
              std::int64_t step) override;
  // Keras creates m_0, v_0, m_1, v_1, ... (adam.py `build`).
  [[nodiscard]] bool interleaves_slots() const noexcept override { return true; }

 private:
  AdamOptions options_;
};

}  // namespace keras::optimizers
