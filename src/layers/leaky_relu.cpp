// SPDX-License-Identifier: Apache-2.0
#include "keras/layers/leaky_relu.h"

#include "detail/python_repr.h"
#include "io/layer_config.h"
#include "kernels/activation.h"
#include "layers/activation_state.h"

#include <fmt/format.h>

namespace keras::layers {

LeakyReLU::LeakyReLU(LeakyReLUOptions options)
    : Layer("LeakyReLU", {std::move(options.name), options.trainable, std::move(options.dtype),
                          std::move(options.input_shape)}),
      negative_slope_(options.negative_slope),
      state_(std::make_shared<detail::ActivationState>()) {
  // Keras 3's check and words (keras/src/layers/activations/leaky_relu.py).
  if (negative_slope_ < 0.0) {
    throw ValueError(
        fmt::format("The negative_slope value of a Leaky ReLU layer cannot be None or negative "
                    "value. Expected a float. Received: negative_slope={}",
                    detail::python_float(negative_slope_)));
  }
}

Shape LeakyReLU::compute_output_shape(const Shape& input_shape) const { return input_shape; }

Tensor LeakyReLU::call(const Tensor& inputs, bool /*training*/) {
  return state_->forward({.kind = kernels::ActivationKind::leaky_relu,
                          .negative_slope = static_cast<float>(negative_slope_)},
                         inputs);
}

Tensor LeakyReLU::backward(const Tensor& grad_outputs) {
  return state_->backward(grad_outputs, name());
}

}  // namespace keras::layers

namespace keras::io {

std::unique_ptr<layers::Layer> leaky_relu_from_config(ConfigReader& config) {
  layers::LayerArgs args = config.layer_args();
  // Keras 2 wrote the slope as `alpha`; Keras 3 still takes it and lets it win.
  double negative_slope = config.get<double>("negative_slope", 0.3);
  negative_slope = config.get<double>("alpha", negative_slope);
  return std::make_unique<layers::LeakyReLU>(layers::LeakyReLUOptions{
      .negative_slope = negative_slope,
      .name = std::move(args.name),
      .trainable = args.trainable,
      .dtype = std::move(args.dtype),
      .input_shape = std::move(args.input_shape),
  });
}

Json leaky_relu_get_config(const layers::LeakyReLU& layer) {
  Json config = base_config(layer);
  config["negative_slope"] = layer.negative_slope();
  return config;
}

}  // namespace keras::io
