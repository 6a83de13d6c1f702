// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/layer.h"

#include <memory>
#include <string>

namespace keras::detail {
class ActivationState;
}

namespace keras::layers {

/// Options of LeakyReLU, named and defaulted as Keras 3's arguments (Keras 2 called the
/// slope `alpha`; configs with `alpha` are read too).
struct LeakyReLUOptions {
  double negative_slope = 0.3;  // must be >= 0
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Leaky rectified linear unit: x for x >= 0, `negative_slope * x` otherwise.
///
///     model.add(keras::layers::LeakyReLU({.negative_slope = 0.1}));
///
/// Keras: https://keras.io/api/layers/activation_layers/leaky_relu/
class LeakyReLU final : public Layer {
 public:
  explicit LeakyReLU(LeakyReLUOptions options = {});

  [[nodiscard]] std::string_view class_name() const override { return "LeakyReLU"; }
  [[nodiscard]] double negative_slope() const noexcept { return negative_slope_; }

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  double negative_slope_;
  std::shared_ptr<detail::ActivationState> state_;
};

}  // namespace keras::layers
