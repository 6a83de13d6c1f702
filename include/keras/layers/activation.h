// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "keras/layers/layer.h"

#include <memory>
#include <string>

namespace keras::detail {
class ActivationState;
}

namespace keras::layers {

/// Options of Activation, named and defaulted as Keras's arguments.
struct ActivationOptions {
  std::string activation;  // a keras.activations name ("relu", "softmax", ...); empty: linear
  std::string name;
  bool trainable = true;
  std::string dtype = "float32";
  OptionalShape input_shape;  // without the batch axis; used when first in a Sequential
};

/// Applies an activation function by name: every name of keras.activations in Keras 3.6
/// (relu, leaky_relu, relu6, softmax, log_softmax, elu, selu, softplus, softsign, silu/swish,
/// gelu, tanh, sigmoid, exponential, hard_sigmoid, hard_silu/hard_swish, linear, mish).
///
///     model.add(keras::layers::Activation({.activation = "relu"}));
///
/// Keras: https://keras.io/api/layers/activation_layers/activation/
class Activation final : public Layer {
 public:
  explicit Activation(ActivationOptions options);

  [[nodiscard]] std::string_view class_name() const override { return "Activation"; }
  /// The activation's name as Keras serialises it ("silu" for "swish").
  [[nodiscard]] std::string_view activation() const;

  [[nodiscard]] Shape compute_output_shape(const Shape& input_shape) const override;
  [[nodiscard]] Tensor call(const Tensor& inputs, bool training) override;
  [[nodiscard]] Tensor backward(const Tensor& grad_outputs) override;

 private:
  std::string activation_;                          // the identifier as given
  std::shared_ptr<detail::ActivationState> state_;  // the kernel plan and what backward reads
};

}  // namespace keras::layers
