// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/dtype.h"
#include "keras/shape.h"
#include "keras/tensor.h"

#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace keras::losses {

/// A Keras loss: per-sample values, their reduction, and the gradient of the reduced value
/// with respect to the prediction, as Keras 3 defines them (epsilon 1e-7, probabilities
/// clipped to [eps, 1 - eps], logits through a stable log-softmax).
///
/// Each loss is one class in its own header (keras/losses/<name>.h), with an options
/// aggregate of Keras's arguments and defaults.
///
/// Keras: https://keras.io/api/losses/
class Loss {
 public:
  virtual ~Loss() = default;

  /// Keras's name, e.g. "categorical_crossentropy".
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// "sum_over_batch_size" (the mean of the per-sample values) or "sum".
  [[nodiscard]] const std::string& reduction() const noexcept { return reduction_; }

  /// The loss of each sample before reduction: y_pred's shape without its last axis.
  [[nodiscard]] virtual Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const = 0;

  struct ValueAndGradient {
    double value;     // the reduced loss
    Tensor gradient;  // d value / d y_pred, y_pred's shape, float32
  };
  /// The reduced loss and its gradient, in one pass.
  [[nodiscard]] virtual ValueAndGradient value_and_gradient(const Tensor& y_true,
                                                            const Tensor& y_pred) const = 0;
  /// The reduced loss (Python: `loss(y_true, y_pred)`).
  [[nodiscard]] double operator()(const Tensor& y_true, const Tensor& y_pred) const;

  /// Throws ValueError, naming the loss, both shapes and the fix (e.g. "use
  /// sparse_categorical_crossentropy for integer labels"), when the targets cannot go with
  /// predictions of that shape.
  virtual void check_targets(const Shape& y_true, const Shape& y_pred,
                             DType y_true_dtype) const = 0;

  /// Keras's serialised form, `{"module": "keras.losses", "class_name": ..., "config": {...},
  /// "registered_name": null}`, as JSON text.
  [[nodiscard]] std::string to_json() const;
  [[nodiscard]] virtual std::string class_name() const = 0;
  /// The config as JSON text (`name`, `reduction`, and the loss's own arguments).
  [[nodiscard]] virtual std::string get_config() const = 0;

 protected:
  Loss(std::string name, std::string reduction);

 private:
  std::string name_;
  std::string reduction_;
};

/// The loss for a Keras identifier: "categorical_crossentropy", "sparse_categorical_crossentropy",
/// "binary_crossentropy", "mean_squared_error"/"mse", "mean_absolute_error"/"mae" and Keras's
/// class names; throws ValueError listing the known names otherwise.
[[nodiscard]] std::shared_ptr<Loss> get(std::string_view identifier);
/// A loss from Keras's serialised form (a JSON string or object, as `.keras` files store it).
[[nodiscard]] std::shared_ptr<Loss> deserialize(std::string_view json);

/// What compile() takes for a loss: a Keras identifier or a loss object, as in Python.
class LossArg {
 public:
  LossArg() = default;
  LossArg(const char* identifier) : identifier_(identifier) {}  // NOLINT: implicit, as in Keras
  LossArg(std::string identifier) : identifier_(std::move(identifier)) {}  // NOLINT
  LossArg(std::shared_ptr<Loss> loss) : loss_(std::move(loss)) {}          // NOLINT
  template <std::derived_from<Loss> LossType>
  LossArg(LossType loss) : loss_(std::make_shared<LossType>(std::move(loss))) {}  // NOLINT

  [[nodiscard]] bool empty() const noexcept { return !loss_ && identifier_.empty(); }
  /// The loss object; throws ValueError for an unknown identifier.
  [[nodiscard]] std::shared_ptr<Loss> resolve() const { return loss_ ? loss_ : get(identifier_); }

 private:
  std::string identifier_;
  std::shared_ptr<Loss> loss_;
};

}  // namespace keras::losses
