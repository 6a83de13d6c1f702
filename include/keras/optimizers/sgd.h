// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/optimizers/optimizer.h"

#include <optional>
#include <string>
#include <vector>

namespace keras::optimizers {

/// Options of SGD, named, ordered and defaulted as Keras's arguments.
struct SGDOptions {
  double learning_rate = 0.01;
  double momentum = 0.0;  // in [0, 1]; 0 keeps no slots
  bool nesterov = false;
  std::optional<double> weight_decay;
  std::optional<double> clipnorm;
  std::optional<double> clipvalue;
  std::optional<double> global_clipnorm;
  std::string name = "SGD";
};

/// Gradient descent, with momentum: `m = momentum * m - lr * g; w += m` (Nesterov:
/// `w += momentum * m - lr * g` with the new m); without: `w -= lr * g`.
///
///     model.compile({.optimizer = keras::optimizers::SGD({.learning_rate = 0.1, .momentum = 0.9}),
///                    .loss = "categorical_crossentropy"});
///
/// Keras: https://keras.io/api/optimizers/sgd/
class SGD final : public Optimizer {
 public:
  explicit SGD(SGDOptions options = {});

  /// The options as constructed (learning_rate() follows set_learning_rate()).
  [[nodiscard]] const SGDOptions& options() const noexcept { return options_; }
  [[nodiscard]] std::string class_name() const override { return "SGD"; }
  [[nodiscard]] std::string get_config() const override;

 protected:
  [[nodiscard]] std::vector<std::string> slot_names() const override;
  void update(Tensor& value, const Tensor& gradient, std::vector<Tensor>& slots,
              std::int64_t step) override;

 private:
  SGDOptions options_;
};

}  // namespace keras::optimizers
