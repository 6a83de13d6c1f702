// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/losses/loss.h"

#include <optional>
#include <string>

namespace keras::losses {

/// Options of SparseCategoricalCrossentropy, named and defaulted as Keras's arguments.
struct SparseCategoricalCrossentropyOptions {
  bool from_logits = false;         // y_pred holds logits rather than probabilities
  std::optional<int> ignore_class;  // samples with this label count neither loss nor mean
  std::string reduction = "sum_over_batch_size";
  std::string name = "sparse_categorical_crossentropy";
};

/// Cross-entropy between class labels and predicted classes (last axis), per sample
/// `-log p[label]`. Labels are int32 (or float holding integers) of y_pred's shape without
/// its last axis, a trailing axis of 1 allowed; a label outside [0, classes) is a ValueError.
/// Probabilities are clipped to [1e-7, 1 - 1e-7] (no gradient where clipped) and then
/// renormalised, as Keras's TensorFlow backend does; logits go through a stable log-softmax.
///
///     model.compile({.loss = keras::losses::SparseCategoricalCrossentropy({.from_logits =
///     true})});
///
/// Keras: https://keras.io/api/losses/probabilistic_losses/#sparsecategoricalcrossentropy-class
class SparseCategoricalCrossentropy final : public Loss {
 public:
  explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});

  [[nodiscard]] const SparseCategoricalCrossentropyOptions& options() const noexcept {
    return options_;
  }

  [[nodiscard]] Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
  [[nodiscard]] ValueAndGradient value_and_gradient(const Tensor& y_true,
                                                    const Tensor& y_pred) const override;
  void check_targets(const Shape& y_true, const Shape& y_pred, DType y_true_dtype) const override;
  [[nodiscard]] std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  SparseCategoricalCrossentropyOptions options_;
};

}  // namespace keras::losses
