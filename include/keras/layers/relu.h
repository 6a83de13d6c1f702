// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/layer.h"

#include <memory>
#include <optional>
#include <string>

namespace keras::detail {
class ActivationState;
}

namespace keras::layers {

/// Options of ReLU, named and defaulted as Keras's arguments; each must be >= 0.
struct ReLUOptions {
  std::optional<double> max_value;  // none: unbounded
  double negative_slope = 0.0;
  double threshold = 0.0;
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Rectified linear unit: `max_value` for x >= max_value, x for threshold < x < max_value,
/// `negative_slope * (x - threshold)` otherwise (Keras 3's formula).
///
///     model.add(keras::layers::ReLU({.max_value = 6.0}));
///
/// Keras: https://keras.io/api/layers/activation_layers/relu/
class ReLU final : public Layer {
 public:
  explicit ReLU(ReLUOptions options = {});

  [[nodiscard]] std::string_view class_name() const override { return "ReLU"; }
  [[nodiscard]] std::optional<double> max_value() const noexcept { return max_value_; }
  [[nodiscard]] double negative_slope() const noexcept { return negative_slope_; }
  [[nodiscard]] double threshold() const noexcept { return threshold_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  std::optional<double> max_value_;
  double negative_slope_;
  double threshold_;
  std::shared_ptr<detail::ActivationState> state_;
};

}  // namespace keras::layers
