// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/activation.h"

#include "io/layer_config.h"
#include "kernels/activation.h"
#include "layers/activation_state.h"

#include <fmt/format.h>

namespace keras::layers {

Activation::Activation(ActivationOptions options)
    : Layer("Activation", {std::move(options.name), options.trainable, std::move(options.dtype),
                           std::move(options.input_shape)}),
      activation_(std::move(options.activation)),
      state_(std::make_shared<detail::ActivationState>()) {
  (void)kernels::activation_from_name(activation_);  // Keras's error for an unknown name, now
}

std::string_view Activation::activation() const {
  return kernels::activation_name(kernels::activation_from_name(activation_));
}

Shape Activation::compute_output_shape(const Shape& input_shape) const { return input_shape; }

Tensor Activation::call(const Tensor& inputs, bool /*training*/) {
  return state_->forward(kernels::activation_from_name(activation_), inputs);
}

Tensor Activation::backward(const Tensor& grad_outputs) {
  return state_->backward(grad_outputs, name());
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> activation_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  // A string, null (linear), or the serialised function {"class_name": "function",
  // "config": "relu", ...} that Keras writes for registered functions.
  Json activation = config.get<Json>("activation", Json());
  if (activation.is_object() && activation.contains("config")) activation = activation["config"];
  std::string identifier;
  if (activation.is_string()) {
    identifier = activation.get<std::string>();
  } else if (!activation.is_null()) {
    throw ValueError(
        fmt::format("Could not interpret activation function identifier: {}", activation.dump()));
  }
  return std::make_unique<layers::Activation>(layers::ActivationOptions{
      .activation = std::move(identifier),
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json activation_get_config(const layers::Activation& layer) {
  Json config = base_config(layer);
  config["activation"] = layer.activation();
  return config;
}

}  // namespace keras::io
