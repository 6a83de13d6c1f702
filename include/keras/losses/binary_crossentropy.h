// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/losses/loss.h"

#include <string>

namespace keras::losses {

/// Options of BinaryCrossentropy, named and defaulted as Keras's arguments.
struct BinaryCrossentropyOptions {
  bool from_logits = false;      // y_pred holds logits rather than probabilities
  double label_smoothing = 0.0;  // targets become y * (1 - ls) + 0.5 * ls
  int axis = -1;                 // the axis each sample's values are averaged over
  std::string reduction = "sum_over_batch_size";
  std::string name = "binary_crossentropy";
};

/// Cross-entropy of independent yes/no targets, `-(y * log p + (1 - y) * log(1 - p))` per
/// element, averaged over `axis` per sample. Probabilities are clipped to [1e-7, 1 - 1e-7]
/// (no gradient where clipped); logits use the stable sigmoid cross-entropy. Targets (N,)
/// go with predictions (N, 1).
///
///     model.compile({.loss = keras::losses::BinaryCrossentropy({.label_smoothing = 0.1})});
///
/// Keras: https://keras.io/api/losses/probabilistic_losses/#binarycrossentropy-class
class BinaryCrossentropy final : public Loss {
 public:
  explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {});

  [[nodiscard]] const BinaryCrossentropyOptions& options() const noexcept { return options_; }

  [[nodiscard]] Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
  [[nodiscard]] ValueAndGradient value_and_gradient(const Tensor& y_true,
                                                    const Tensor& y_pred) const override;
  void check_targets(const Shape& y_true, const Shape& y_pred, DType y_true_dtype) const override;
  [[nodiscard]] std::string class_name() const override { return "BinaryCrossentropy"; }
  [[nodiscard]] std::string get_config() const override;

 private:
  BinaryCrossentropyOptions options_;
};

}  // namespace keras::losses
