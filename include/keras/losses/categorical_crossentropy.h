// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/losses/loss.h"

#include <string>

namespace keras::losses {

/// Options of CategoricalCrossentropy, named and defaulted as Keras's arguments.
struct CategoricalCrossentropyOptions {
  bool from_logits = false;      // y_pred holds logits rather than probabilities
  double label_smoothing = 0.0;  // targets become y * (1 - ls) + ls / num_classes
  int axis = -1;                 // the class axis of y_pred
  std::string reduction = "sum_over_batch_size";
  std::string name = "categorical_crossentropy";
};

/// Cross-entropy between one-hot (or soft) targets and predicted classes, per sample
/// `-sum(y_true * log(p))` over the class axis. Probabilities are renormalised to sum to 1
/// and clipped to [1e-7, 1 - 1e-7] (no gradient where clipped); logits go through a stable
/// log-softmax. Integer labels belong to SparseCategoricalCrossentropy.
///
///     model.compile({.loss = keras::losses::CategoricalCrossentropy({.from_logits = true})});
///
/// Keras: https://keras.io/api/losses/probabilistic_losses/#categoricalcrossentropy-class
class CategoricalCrossentropy final : public Loss {
 public:
  explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});

  [[nodiscard]] const CategoricalCrossentropyOptions& options() const noexcept { return options_; }

  [[nodiscard]] Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
  [[nodiscard]] ValueAndGradient value_and_gradient(const Tensor& y_true,
                                                    const Tensor& y_pred) const override;
  void check_targets(const Shape& y_true, const Shape& y_pred, DType y_true_dtype) const override;
  [[nodiscard]] std::string class_name() const override { return "CategoricalCrossentropy"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  CategoricalCrossentropyOptions options_;
};

}  // namespace keras::losses
